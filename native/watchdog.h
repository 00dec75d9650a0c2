/* SPDX-License-Identifier: GPL-2.0-only */
// The per-scenario watchdog: a native thread that, when a scenario overruns
// its time, interrupts the threads blocked in it with a signal whose handler
// does nothing and is installed without SA_RESTART, so the blocked system
// call returns EINTR. Armed from JS (watchdogArm/watchdogDisarm) for the
// calling JS thread; native threads that may block (the race engine's) make
// themselves interruptible with an Interruptible guard.
#pragma once
#include <napi.h>

namespace tfsr {
namespace watchdog {

// While alive, the constructing thread is signalled whenever a watchdog
// fires (and unblocks the signal for itself). Destroyed on the same thread.
class Interruptible {
 public:
  Interruptible();
  ~Interruptible();
  Interruptible(const Interruptible&) = delete;
  Interruptible& operator=(const Interruptible&) = delete;

 private:
  int tid_;
};

// Called (on the watchdog thread, no lock held) when an arm expires, before
// the first signal: e.g. stop every running race, so interrupted workers end.
void add_fire_hook(void (*fn)());

}  // namespace watchdog

// Adds watchdogArm, watchdogDisarm and watchdogSignal to exports.
void register_watchdog(Napi::Env env, Napi::Object exports);

}  // namespace tfsr
