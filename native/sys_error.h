/* SPDX-License-Identifier: GPL-2.0-only */
// Failed system calls cross into JS as data, not exceptions: one frozen
// SysError object per (syscall, errno) pair, created on first use and then
// reused, so a tight loop of failing opens allocates nothing.
#pragma once
#include <napi.h>

namespace tfsr {

// Grouped by hand, as the calls are.
// clang-format off
enum class Sys : int {
  Open, Openat, Close, Read, Pread, Write, Pwrite, Lseek, Stat, Lstat,
  Fstatat, Access, Getdents64, Chdir, Fchdir, Getcwd, Mkdir, Rmdir,
  Mount, Umount2, SetRoot,
  // ownership and mode (perm-* scenarios)
  Chmod, Fchmod, Chown, Fchown,
  // kernel coverage (kcov.cc)
  Ioctl, Mmap,
  Count
};
// clang-format on

const char* sys_name(Sys s);
const char* errno_code(int err);  // "ENOENT"; "E<number>" when unknown

// Called once at init with the JS SysError class the objects are made from.
void sys_error_init(Napi::Env env, Napi::Function ctor);
// The cached SysError for this call and errno.
Napi::Value sys_error(Napi::Env env, Sys s, int err);

}  // namespace tfsr
