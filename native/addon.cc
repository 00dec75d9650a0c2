// SPDX-License-Identifier: GPL-2.0-only
// Entry point of the tracefs-regress addon. JS calls init(SysError) once
// (src/native/addon.ts does) before any other function.
#include <napi.h>

#include "kcov.h"
#include "race/race.h"
#include "sys_error.h"
#include "syscalls.h"
#include "watchdog.h"

namespace {

Napi::Value Init(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsFunction()) {
    Napi::TypeError::New(info.Env(), "init(SysError: class)").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  tfsr::sys_error_init(info.Env(), info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Object Register(Napi::Env env, Napi::Object exports) {
  exports.Set("init", Napi::Function::New(env, Init, "init"));
  tfsr::register_syscalls(env, exports);
  tfsr::register_race(env, exports);
  tfsr::register_watchdog(env, exports);
  tfsr::register_kcov(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(tracefs_regress, Register)
