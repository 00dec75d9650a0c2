/* SPDX-License-Identifier: GPL-2.0-only */
// Kernel coverage (KCOV, Documentation/dev-tools/kcov.rst) of the calling
// thread, for `explore`'s coverage guidance.
#pragma once
#include <napi.h>

namespace tfsr {
// Adds kcovOpen, kcovEnable, kcovDisable, kcovReset, kcovCollect and kcovClose to exports.
void register_kcov(Napi::Env env, Napi::Object exports);
}  // namespace tfsr
