/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once
#include <napi.h>

namespace tfsr {
// Adds raceStart, raceStop and raceStopAll to exports (native/race/).
void register_race(Napi::Env env, Napi::Object exports);
}  // namespace tfsr
