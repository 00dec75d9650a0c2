// SPDX-License-Identifier: GPL-2.0-only
// The per-scenario watchdog (native/watchdog.cc): armed on the JS thread
// before a scenario runs, disarmed when it came back. At the deadline the
// native thread stops every race and signals the JS thread (and the race
// threads) every 50 ms until the disarm, so a read(2) that would block for
// ever fails with EINTR and the scenario returns.
import { native } from './addon.js';
import type { NativeWatchdogResult } from './types.js';

export type WatchdogResult = NativeWatchdogResult;

export interface Watch {
  /** Ends the watch; a second call returns the first call's result. */
  disarm(): WatchdogResult;
}

/** Arms the watchdog for the calling thread; throws when the addon has no free signal for it. */
export function armWatchdog(timeoutMs: number, label: string): Watch {
  const id = native.watchdogArm(timeoutMs, label);
  let result: WatchdogResult | undefined;
  return { disarm: () => (result ??= native.watchdogDisarm(id)) };
}

/** The signal number the watchdog sends (a real-time signal nobody else handles); 0 when none is free. */
export function watchdogSignal(): number {
  return native.watchdogSignal();
}
