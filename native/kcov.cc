// SPDX-License-Identifier: GPL-2.0-only
// KCOV as Documentation/dev-tools/kcov.rst describes it: open the debugfs
// file, KCOV_INIT_TRACE with the buffer size in words, mmap the buffer,
// KCOV_ENABLE(KCOV_TRACE_PC) on the calling thread. Word 0 counts the PCs
// the kernel appended since it was last zeroed; words 1.. are the PCs. Only
// system calls of the thread that enabled it are traced (no interrupts, no
// other threads): the JS thread's sequential actions, not the race engine's
// workers.
//
// A handle is the kcov fd; the table keeps its mapping. collect() copies
// the low 32 bits of each PC: kcov reports x86_64 kernel PCs without the
// KASLR offset, all in 0xffffffff80000000.., so the high half is the same
// for every kernel and module PC and 32 bits lose nothing there.
#include "kcov.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "sys_error.h"

namespace tfsr {
namespace {

#ifndef KCOV_TRACE_PC
#define KCOV_TRACE_PC 0
#endif

constexpr double kMaxWords = 1 << 26;  // 512 MiB of buffer: far beyond any one action

struct Slot {
  uint64_t* area;
  size_t words;
  bool enabled;
};

std::mutex g_mu;
std::map<int, Slot> g_slots;  // by kcov fd

Napi::Value usage(const Napi::CallbackInfo& info, const char* line) {
  if (!info.Env().IsExceptionPending()) Napi::TypeError::New(info.Env(), line).ThrowAsJavaScriptException();
  return info.Env().Undefined();
}

// The handle's slot (g_mu held by the caller); nullptr with *out set: a
// usage error thrown, or EBADF as data for a handle that is not open.
Slot* lookup(const Napi::CallbackInfo& info, const char* line, Sys s, int* fd, Napi::Value* out) {
  double d = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : -1;
  if (!std::isfinite(d) || d != std::trunc(d) || d < 0 || d > INT32_MAX) {
    *out = usage(info, line);
    return nullptr;
  }
  *fd = static_cast<int>(d);
  auto it = g_slots.find(*fd);
  if (it != g_slots.end()) return &it->second;
  *out = sys_error(info.Env(), s, EBADF);
  return nullptr;
}

Napi::Value ok(Napi::Env env) { return Napi::Number::New(env, 0); }

Napi::Value Open(const Napi::CallbackInfo& info) {
  const char* u = "kcovOpen(words: integer 2..2**26, path?: string)";
  if (info.Length() < 1 || !info[0].IsNumber()) return usage(info, u);
  double w = info[0].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(w) || w != std::trunc(w) || w < 2 || w > kMaxWords) return usage(info, u);
  std::string path = "/sys/kernel/debug/kcov";
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    if (!info[1].IsString()) return usage(info, u);
    path = info[1].As<Napi::String>().Utf8Value();
  }
  const size_t words = static_cast<size_t>(w);
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return sys_error(info.Env(), Sys::Open, errno);
  if (::ioctl(fd, KCOV_INIT_TRACE, static_cast<unsigned long>(words)) < 0) {
    int e = errno;
    ::close(fd);
    return sys_error(info.Env(), Sys::Ioctl, e);
  }
  void* p = ::mmap(nullptr, words * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) {
    int e = errno;
    ::close(fd);
    return sys_error(info.Env(), Sys::Mmap, e);
  }
  std::lock_guard<std::mutex> lock(g_mu);
  g_slots[fd] = Slot{static_cast<uint64_t*>(p), words, false};
  return Napi::Number::New(info.Env(), fd);
}

// KCOV_ENABLE binds the buffer to the calling thread; EBUSY when this
// thread or this buffer is already bound.
Napi::Value Enable(const Napi::CallbackInfo& info) {
  std::lock_guard<std::mutex> lock(g_mu);
  int fd;
  Napi::Value out;
  Slot* slot = lookup(info, "kcovEnable(handle: number)", Sys::Ioctl, &fd, &out);
  if (!slot) return out;
  if (::ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC) < 0) return sys_error(info.Env(), Sys::Ioctl, errno);
  slot->enabled = true;
  return ok(info.Env());
}

// Must come from the thread that enabled it (the kernel says EINVAL otherwise).
Napi::Value Disable(const Napi::CallbackInfo& info) {
  std::lock_guard<std::mutex> lock(g_mu);
  int fd;
  Napi::Value out;
  Slot* slot = lookup(info, "kcovDisable(handle: number)", Sys::Ioctl, &fd, &out);
  if (!slot) return out;
  if (::ioctl(fd, KCOV_DISABLE, 0) < 0) return sys_error(info.Env(), Sys::Ioctl, errno);
  slot->enabled = false;
  return ok(info.Env());
}

// Zeroes the count word: the next PCs start the buffer again.
Napi::Value Reset(const Napi::CallbackInfo& info) {
  std::lock_guard<std::mutex> lock(g_mu);
  int fd;
  Napi::Value out;
  Slot* slot = lookup(info, "kcovReset(handle: number)", Sys::Ioctl, &fd, &out);
  if (!slot) return out;
  __atomic_store_n(&slot->area[0], 0, __ATOMIC_RELAXED);
  return ok(info.Env());
}

// The PCs since the last reset (low 32 bits, in trace order); a full buffer
// holds words - 1 of them and the kernel drops the rest.
Napi::Value Collect(const Napi::CallbackInfo& info) {
  std::lock_guard<std::mutex> lock(g_mu);
  int fd;
  Napi::Value out;
  Slot* slot = lookup(info, "kcovCollect(handle: number)", Sys::Ioctl, &fd, &out);
  if (!slot) return out;
  uint64_t n = __atomic_load_n(&slot->area[0], __ATOMIC_RELAXED);
  if (n > slot->words - 1) n = slot->words - 1;
  auto pcs = Napi::Uint32Array::New(info.Env(), static_cast<size_t>(n));
  for (uint64_t i = 0; i < n; i++) pcs[i] = static_cast<uint32_t>(slot->area[i + 1]);
  return pcs;
}

// Disables (when enabled), unmaps and closes; the handle is gone after.
Napi::Value Close(const Napi::CallbackInfo& info) {
  std::lock_guard<std::mutex> lock(g_mu);
  int fd;
  Napi::Value out;
  Slot* slot = lookup(info, "kcovClose(handle: number)", Sys::Close, &fd, &out);
  if (!slot) return out;
  int err = 0;
  if (slot->enabled && ::ioctl(fd, KCOV_DISABLE, 0) < 0) err = errno;
  ::munmap(slot->area, slot->words * sizeof(uint64_t));
  g_slots.erase(fd);
  if (::close(fd) < 0 && !err) return sys_error(info.Env(), Sys::Close, errno);
  return err ? sys_error(info.Env(), Sys::Ioctl, err) : ok(info.Env());
}

}  // namespace

void register_kcov(Napi::Env env, Napi::Object exports) {
  exports.Set("kcovOpen", Napi::Function::New(env, Open, "kcovOpen"));
  exports.Set("kcovEnable", Napi::Function::New(env, Enable, "kcovEnable"));
  exports.Set("kcovDisable", Napi::Function::New(env, Disable, "kcovDisable"));
  exports.Set("kcovReset", Napi::Function::New(env, Reset, "kcovReset"));
  exports.Set("kcovCollect", Napi::Function::New(env, Collect, "kcovCollect"));
  exports.Set("kcovClose", Napi::Function::New(env, Close, "kcovClose"));
}

}  // namespace tfsr
