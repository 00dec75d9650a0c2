// SPDX-License-Identifier: GPL-2.0-only
// --expect under `vm`: the host validates each file before anything boots,
// hands the guest its absolute path (the host root is shared read-only at the
// same paths), and re-applies the entries to the merged report, where the
// console's oops can be explained by an expected failure of the same run.
import path from 'node:path';
import { UsageError } from '../errors.js';
import { loadExpectations } from '../expectations/parse.js';
import { applyExpectations } from '../expectations/apply.js';
import type { ExpectEntry } from '../expectations/types.js';
import { resolveExpectFile, shippedCrashers, shippedKnownBugs, withShippedCrashers } from '../expectations/shipped.js';
import { nameReport } from '../expectations/naming.js';
import type { KnownBug } from '../expectations/types.js';
import { CATALOGUE } from '../scenarios/catalogue.js';
import type { RunReport } from '../report/types.js';
import { CONSOLE_RESULT } from './matrix/matrix.js';

/** The guest mounts fresh tmpfs over these; only the project directory is bound back over /tmp. */
const HIDDEN_IN_GUEST = ['/tmp', '/run'];

const under = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/** `--expect ABS` for each file, refusing one the guest would not see. */
export function guestExpectArgs(files: readonly string[], projectRoot: string, cwd = process.cwd()): string[] {
  return files.flatMap((f) => {
    const abs = resolveExpectFile(f, cwd, projectRoot) ?? path.resolve(cwd, f);
    const hidden = HIDDEN_IN_GUEST.find((d) => under(abs, d));
    if (hidden && !under(abs, projectRoot)) {
      throw new UsageError(
        `--expect ${f}: the guest mounts a fresh tmpfs on ${hidden} and cannot see ${abs}: put the file elsewhere (e.g. your home or the project directory)`,
      );
    }
    return ['--expect', abs];
  });
}

/**
 * Every file validated on the host, before anything is fetched or booted,
 * after the shipped known crashers: the guest runs them (a guest is
 * disposable) and the host judges the console's oops by them too.
 */
export function loadForVm(files: readonly string[], scenarios: readonly string[]): ExpectEntry[] {
  const given = files.flatMap((f) => loadExpectations(f, scenarios));
  let shipped: ExpectEntry[] = [];
  try {
    shipped = shippedCrashers(scenarios);
  } catch {
    // The guest runs them anyway (--run-known-crashers); only the XFAIL judging is lost.
  }
  return withShippedCrashers(shipped, given);
}

/** The host's judgement of one boot's report: the guest's results re-judged (idempotent) and the console's oops with them. */
export function judgeVmReport(report: RunReport, entries: readonly ExpectEntry[]): RunReport {
  if (entries.length === 0) return report;
  return applyExpectations(report, entries, report.env.kernel.release, { explainable: [CONSOLE_RESULT] });
}

/**
 * Every failure of one boot's report named by the known bug it matches (the
 * guest named its own results; the console's result is named here). The
 * shipped catalogue unless given; without a readable one nothing is named.
 */
export function nameVmReport(
  report: RunReport,
  bugs: readonly KnownBug[] | undefined = shippedKnownBugs(CATALOGUE.map((s) => s.id)),
): RunReport {
  return bugs ? nameReport(report, bugs) : report;
}
