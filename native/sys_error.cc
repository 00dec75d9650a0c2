// SPDX-License-Identifier: GPL-2.0-only
#include "sys_error.h"

#include <string.h>

#include <string>
#include <vector>

namespace tfsr {
namespace {

constexpr int kMaxErrno = 134;  // EHWPOISON + 1 on Linux

const char* const kSysNames[] = {"open",   "openat", "close", "read",    "pread",  "write",      "pwrite",
                                 "lseek",  "stat",   "lstat", "fstatat", "access", "getdents64", "chdir",
                                 "fchdir", "getcwd", "mkdir", "rmdir",   "mount",  "umount2",    "setRoot",
                                 "chmod",  "fchmod", "chown", "fchown",  "ioctl",  "mmap"};
static_assert(sizeof(kSysNames) / sizeof(kSysNames[0]) == static_cast<size_t>(Sys::Count),
              "kSysNames must list every Sys");

struct Cache {
  Napi::FunctionReference ctor;
  std::vector<Napi::ObjectReference> objs;
};

}  // namespace

const char* sys_name(Sys s) { return kSysNames[static_cast<int>(s)]; }

const char* errno_code(int err) {
  const char* n = strerrorname_np(err);
  if (n) return n;
  static thread_local char buf[16];
  snprintf(buf, sizeof buf, "E%d", err);
  return buf;
}

void sys_error_init(Napi::Env env, Napi::Function ctor) {
  auto* c = env.GetInstanceData<Cache>();
  if (!c) {
    c = new Cache();
    env.SetInstanceData(c);  // freed by node-addon-api at env teardown
  }
  c->ctor = Napi::Persistent(ctor);
  c->objs.clear();
  c->objs.resize(static_cast<size_t>(Sys::Count) * (kMaxErrno + 1));
}

Napi::Value sys_error(Napi::Env env, Sys s, int err) {
  auto* c = env.GetInstanceData<Cache>();
  if (!c || c->ctor.IsEmpty()) {
    Napi::Error::New(env, "tracefs-regress addon: init() was not called").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const bool cacheable = err > 0 && err <= kMaxErrno;
  size_t slot = static_cast<size_t>(s) * (kMaxErrno + 1) + (cacheable ? err : 0);
  if (cacheable && !c->objs[slot].IsEmpty()) return c->objs[slot].Value();
  Napi::Object o = c->ctor.New({Napi::String::New(env, sys_name(s)), Napi::Number::New(env, err),
                                Napi::String::New(env, errno_code(err))});
  if (cacheable) c->objs[slot] = Napi::Persistent(o);
  return o;
}

}  // namespace tfsr
