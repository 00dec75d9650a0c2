/* SPDX-License-Identifier: GPL-2.0-only */
// The race engine's shared C core (src/repro/c/race-core.h): the same source
// every race reproducer carries verbatim, compiled here as C++ with C
// linkage. Only this file includes it.
#pragma once
extern "C" {
#include "../../src/repro/c/race-core.h"
}

#include "stats.h"

namespace tfsr {
namespace race {
// The windows are the stats' phase classes, in the same order.
static_assert(static_cast<int>(RC_PRESENT) == kPresent && static_cast<int>(RC_ABSENT) == kAbsent &&
                  static_cast<int>(RC_TRANSITION) == kTransition,
              "rc_window and PhaseClass disagree");
inline PhaseClass classify(uint64_t s0, uint64_t s1) { return static_cast<PhaseClass>(rc_classify(s0, s1)); }
}  // namespace race
}  // namespace tfsr
