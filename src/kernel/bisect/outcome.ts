// SPDX-License-Identifier: GPL-2.0-only
// What one bisect step's boot means for `git bisect run`: pure, so the whole
// mapping is unit-tested with planted reports. git reads the step's exit code:
// 0 good, 1..127 (not 125) bad, 125 skip (cannot test this commit), >= 128
// aborts the whole bisect, which a step never asks for (a signal or a crash
// here says nothing about the commit).
import type { RunReport, ScenarioResult } from '../../report/types.js';
import { BOOT_RESULT, CONSOLE_RESULT } from '../../vm/matrix/matrix.js';

export const STEP = { good: 0, bad: 1, skip: 125 } as const;
export type StepCode = (typeof STEP)[keyof typeof STEP];

export interface StepOutcome {
  code: StepCode;
  /** good, bad or skip, as the step line prints it. */
  verdict: 'good' | 'bad' | 'skip';
  /** Why, in one line: the failing result quoted, or what kept the commit from being tested. */
  why: string;
}

const good = (why: string): StepOutcome => ({ code: STEP.good, verdict: 'good', why });
const bad = (why: string): StepOutcome => ({ code: STEP.bad, verdict: 'bad', why });
export const skip = (why: string): StepOutcome => ({ code: STEP.skip, verdict: 'skip', why });

/** A result's one-line account: `name STATUS: op path: expected X, got Y` (or its reason). */
export function describe(r: ScenarioResult): string {
  const e = r.evidence[0];
  const detail = e ? `${e.op} ${e.path}: expected ${e.expected}, got ${e.got}` : (r.reason ?? '');
  return `${r.name} ${r.status}${detail ? `: ${detail}` : ''}`;
}

/**
 * Statuses that make a commit bad: FAIL, XPASS (an --expect entry's failure
 * is gone: the behaviour changed) and TIMEOUT (a scenario that hangs is a
 * regression as much as one that fails; the runner's watchdog only fires
 * after --scenario-timeout, so a slow guest alone does not get there).
 */
const BAD = new Set<ScenarioResult['status']>(['FAIL', 'XPASS', 'TIMEOUT']);

/**
 * The step's verdict from the `vm` child's exit code and its JSON report.
 * Order: a scenario's failure makes the commit bad whatever else happened in
 * the boot (it is evidence about the commit); then anything that kept a
 * selected scenario from running (no report, no boot, UNRESOLVED, SKIP,
 * nothing selected) skips it; only a boot in which every result passed (or
 * failed as an --expect file expects, XFAIL) is good.
 */
export function stepOutcome(report: RunReport | undefined, vmExit: number | undefined): StepOutcome {
  if (!report) return skip(`the vm run left no JSON report (vm exit ${vmExit ?? 'signal'})`);
  const scenarios = report.results.filter((r) => r.scenario !== CONSOLE_RESULT && r.scenario !== BOOT_RESULT);
  const boot = report.results.find((r) => r.scenario === BOOT_RESULT);
  const consoleFail = report.results.find((r) => r.scenario === CONSOLE_RESULT && BAD.has(r.status));

  const failed = scenarios.find((r) => BAD.has(r.status));
  if (failed) return bad(describe(failed));
  // An oops while scenarios ran is the kernel failing them; one before any ran is a kernel that does not boot.
  if (consoleFail && scenarios.length) return bad(describe(consoleFail));
  if (boot) return skip(`the kernel did not boot or report back: ${boot.reason ?? boot.status}`);
  if (consoleFail) return skip(`the kernel failed before any scenario ran: ${describe(consoleFail)}`);
  if (report.interrupted) return skip(`the run was cut short (${report.interrupted})`);
  if (!scenarios.length) return skip('no scenario ran: the selection after -- matched nothing on this kernel');
  const unrunnable = scenarios.find((r) => r.status !== 'PASS' && r.status !== 'XFAIL');
  if (unrunnable) return skip(`a scenario could not run: ${describe(unrunnable)}`);
  // The report said all passed, yet vm disagrees (e.g. a teardown or cleanup failure): do not call it good.
  if (vmExit !== 0) return skip(`every scenario passed but vm exited ${vmExit ?? 'by a signal'}`);
  return good(`${scenarios.length} result(s) passed: ${scenarios.map((r) => r.name).join(' ')}`);
}
