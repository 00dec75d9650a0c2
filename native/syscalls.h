/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once
#include <napi.h>

namespace tfsr {
// Adds the raw system-call functions and their constants to exports.
void register_syscalls(Napi::Env env, Napi::Object exports);
}  // namespace tfsr
