// kselftest's exit codes, which kernel CI already understands. 2 (usage or
// environment error) is raised by the CLI before any report exists.
import { isFailing, type RunReport, type ScenarioResult } from './types.js';

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;
export const EXIT_SKIP = 4;

export type ReportExitCode = typeof EXIT_PASS | typeof EXIT_FAIL | typeof EXIT_SKIP;

function codeOf(results: readonly ScenarioResult[], interrupted: boolean): ReportExitCode {
  // XPASS fails too: an expected failure that passed means the expectation is stale (a fixed kernel?).
  if (results.some((r) => isFailing(r.status))) return EXIT_FAIL;
  // A run stopped early has not shown that every applicable scenario passes.
  if (interrupted) return EXIT_FAIL;
  // An XFAIL ran and behaved as expected: the run is not "nothing runnable".
  if (!results.some((r) => r.status === 'PASS' || r.status === 'XFAIL')) return EXIT_SKIP;
  return EXIT_PASS;
}

/** 0 every applicable scenario passed or failed as expected (XFAIL); 1 a FAIL, UNRESOLVED or XPASS (or the run was cut short); 4 nothing ran. */
export function exitCodeFor(report: RunReport | readonly ScenarioResult[]): ReportExitCode {
  if (Array.isArray(report)) return codeOf(report, false);
  const r = report as RunReport;
  return codeOf(r.results, r.interrupted !== undefined);
}

/** Several runs (one per kernel): 1 if any failed, 4 if none ran anything, else 0. */
export function exitCodeForAll(reports: readonly RunReport[]): ReportExitCode {
  const codes = reports.map((r) => exitCodeFor(r));
  if (codes.includes(EXIT_FAIL)) return EXIT_FAIL;
  if (codes.includes(EXIT_PASS)) return EXIT_PASS;
  return EXIT_SKIP;
}
