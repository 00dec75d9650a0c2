// SPDX-License-Identifier: GPL-2.0-only
// Per-scenario timeouts: how long a variant may run, and what its result
// becomes when it overran. The watchdog itself is native (src/native/watchdog.ts):
// scenarios call the addon synchronously on the JS thread, so a blocked
// read(2) stops every JS timer too; only a native thread can interrupt it.
import type { ScenarioResult } from '../report/types.js';
import { secondsText } from '../report/text.js';
import type { WatchdogResult } from '../native/index.js';
import type { Scenario } from '../scenarios/types.js';

/** --scenario-timeout's default: what a variant may take beyond a race's --duration. */
export const DEFAULT_SCENARIO_TIMEOUT_MS = 60_000;

export interface TimeoutOptions {
  /** Each race's --duration. */
  durationMs: number;
  /** --scenario-timeout; DEFAULT_SCENARIO_TIMEOUT_MS when absent. */
  scenarioTimeoutMs?: number;
}

/**
 * The limit of one variant: --scenario-timeout (60 s by default), and for a
 * race its --duration on top, so `--duration 10m` is never a timeout. The
 * non-race scenarios take well under a second here and under 2 s in a TCG
 * guest; a race's setup and wind-down take a few seconds more than its duration.
 */
export function variantTimeoutMs(scenario: Pick<Scenario, 'race'>, o: TimeoutOptions): number {
  const extra = o.scenarioTimeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  return scenario.race ? o.durationMs + extra : extra;
}

/** "timed out after 60 s: a system call blocked (or ...); interrupted by 3 signals, back 0.1 s after the limit" */
export function timeoutReason(limitMs: number, w: WatchdogResult): string {
  const back = `back ${secondsText(Math.round(w.overrunMs / 100) * 100)} s after the limit`;
  return (
    `timed out after ${secondsText(limitMs)} s: a system call blocked (or the scenario did not return); ` +
    `interrupted by ${w.signals} signal${w.signals === 1 ? '' : 's'}, ${back}`
  );
}

/**
 * Turns a variant the watchdog fired on into a TIMEOUT, whatever the
 * scenario made of its interrupted calls (its evidence is kept: what it saw
 * before the hang is real; an EINTR among it is the watchdog's).
 */
export function applyTimeout(result: ScenarioResult, limitMs: number, w: WatchdogResult, abandoned = false): void {
  if (!w.fired) return;
  const own = result.status === 'PASS' ? undefined : `the scenario's own verdict was ${result.status}`;
  result.status = 'TIMEOUT';
  result.reason = timeoutReason(limitMs, w);
  result.timeout = { limitMs, signals: w.signals, overrunMs: w.overrunMs };
  const note = 'evidence after the limit may show EINTR: the watchdog interrupted those calls';
  const gone = `it never came back: abandoned ${secondsText(ABANDON_AFTER_MS)} s after the limit, still running`;
  result.notes = [
    ...(result.notes ?? []),
    ...(abandoned ? [gone] : own ? [own] : []),
    ...(result.evidence.length ? [note] : []),
  ];
}

/**
 * How long after its limit a variant that has not come back is abandoned.
 * The watchdog gets a scenario out of a blocked system call within
 * milliseconds; one that is still not back after this awaits something
 * that will never come (a race whose thread is stuck in uninterruptible
 * sleep): the run goes on without it. A scenario stuck in a JS loop never
 * yields, so nothing in this process can end it; the VM runner's --timeout does.
 */
export const ABANDON_AFTER_MS = 10_000;

/** Resolves with the scenario's outcome, or with undefined when it was abandoned afterMs after it started. */
export async function untilAbandoned<T>(p: Promise<T>, afterMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), afterMs)));
  try {
    return await Promise.race([p, giveUp]);
  } finally {
    clearTimeout(timer);
  }
}
