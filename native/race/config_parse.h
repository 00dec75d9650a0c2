/* SPDX-License-Identifier: GPL-2.0-only */
// JS config object -> race::Config. Throws a usage line (TypeError) naming
// the bad field; the TS wrapper validates first, this is the safety net.
#pragma once
#include <napi.h>

#include "config.h"

namespace tfsr {
namespace race {
bool parse_config(Napi::Env env, Napi::Object o, Config* out);
}
}  // namespace tfsr
