// SPDX-License-Identifier: GPL-2.0-only
// A report's exit code (src/errors.ts owns the codes). 2 (usage or
// environment error) is raised before any report exists.
import { EXIT } from '../errors.js';
import { isFailing, type RunReport, type ScenarioResult } from './types.js';

export type ReportExitCode = typeof EXIT.ok | typeof EXIT.failed | typeof EXIT.usage | typeof EXIT.skip;

function codeOf(results: readonly ScenarioResult[], interrupted: boolean): ReportExitCode {
  // XPASS fails too: an expected failure that passed means the expectation is stale (a fixed kernel?).
  // So does a TIMEOUT: a system call that blocked for ever is a kernel hang or a scenario bug, either one to
  // investigate (kselftest's runner also reports its timeouts `not ok`, exit 1).
  const failing = results.filter((r) => isFailing(r.status));
  // A fault counts only on an UNRESOLVED result: a health FAIL on top of one is the kernel's.
  if (failing.some((r) => !(r.fault && r.status === 'UNRESOLVED'))) return EXIT.failed;
  // Only the tool's own failures (out of fds or memory, a foreign mount): an environment error, 2, as
  // when it is found before the run; a real failure beside them wins (1, above).
  if (failing.length) return EXIT.usage;
  // A run stopped early has not shown that every applicable scenario passes.
  if (interrupted) return EXIT.failed;
  // An XFAIL ran and behaved as expected: the run is not "nothing runnable".
  if (!results.some((r) => r.status === 'PASS' || r.status === 'XFAIL')) return EXIT.skip;
  return EXIT.ok;
}

/** 0 every applicable scenario passed or failed as expected (XFAIL); 1 a FAIL, UNRESOLVED, TIMEOUT or XPASS (or the run was cut short); 2 only the tool's own failures (ERROR with a fault); 4 nothing ran. */
export function exitCodeFor(report: RunReport | readonly ScenarioResult[]): ReportExitCode {
  if (Array.isArray(report)) return codeOf(report, false);
  const r = report as RunReport;
  return codeOf(r.results, r.interrupted !== undefined);
}

/** Several runs (one per kernel): 1 if any failed, else 2 if any met a tool failure, 4 if none ran anything, else 0. */
export function exitCodeForAll(reports: readonly RunReport[]): ReportExitCode {
  const codes = reports.map((r) => exitCodeFor(r));
  if (codes.includes(EXIT.failed)) return EXIT.failed;
  if (codes.includes(EXIT.usage)) return EXIT.usage;
  if (codes.includes(EXIT.ok)) return EXIT.ok;
  return EXIT.skip;
}
