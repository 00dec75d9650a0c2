// SPDX-License-Identifier: GPL-2.0-only
// KTAP v1 (Documentation/dev-tools/ktap.rst), the format kselftest and KUnit
// emit and kernel CI parses. Diagnostics for a test come directly before its
// result line; a multi-kernel matrix nests each run as a subtest, indented 2.
import { summarize, type RunReport, type ScenarioResult } from './types.js';
import { EXIT } from '../errors.js';
import { exitCodeFor } from './exit-code.js';
import {
  cutShortNote,
  evidenceDetail,
  expectationText,
  healthProblems,
  kernelLabel,
  MAX_EVIDENCE_SHOWN,
  oneLine,
  ownHealthNotes,
  raceFields,
  raceNote,
  runNotes,
  secondsText,
  statsHighlights,
} from './text.js';
import { repeatLine } from './repeat.js';
import { knownBugLine } from './known-bug.js';

/** A test name or directive reason: one line, no '#' (it would start a directive). */
export function ktapName(s: string): string {
  return oneLine(s).replace(/#/g, '%23');
}

export const diag = (s: string): string => `# ${oneLine(s)}`;

/** The diagnostics written right before a result's line (its reason, evidence, health, statistics). */
export function resultDiagnostics(r: ScenarioResult, shared: readonly string[]): string[] {
  const out: string[] = [];
  // An XFAIL keeps its evidence: it is a real kernel failure, only an expected one.
  const failed = r.status === 'FAIL' || r.status === 'UNRESOLVED' || r.status === 'TIMEOUT' || r.status === 'XFAIL';
  // A variant that never ran says so in its directive; it has nothing else to tell.
  if (r.notRun) return [];
  // The reason goes on a line of its own, never after a directive: LKFT's parser (and
  // kunit_parser for SKIP) takes what follows the directive into the test's name.
  // Worded so no diagnostic reads `# SKIP` to a grep for the directive.
  if (r.status === 'UNSUPPORTED') out.push(diag(`skipped: ${r.reason ?? 'unsupported'}`));
  if (r.status === 'UNRESOLVED') out.push(diag(`UNRESOLVED: ${r.reason ?? 'no reason given'}`));
  if (r.status === 'TIMEOUT') {
    // kselftest's runner.sh says `# TIMEOUT 45 seconds`; here it is a diagnostic, the result line stays bare.
    if (r.timeout) out.push(diag(`TIMEOUT ${secondsText(r.timeout.limitMs)} seconds`));
    out.push(diag(`TIMEOUT: ${r.reason ?? 'timed out'}`));
  }
  // XFAIL and XPASS: the expectation's lines below carry the entry's why.
  if (r.expectation && r.expectation.verdict !== 'skip')
    for (const l of expectationText(r.expectation)) out.push(diag(`expect: ${l}`));
  const named = knownBugLine(r);
  if (named) out.push(diag(named));
  if (failed) {
    for (const e of r.evidence.slice(0, MAX_EVIDENCE_SHOWN)) {
      out.push(diag(`evidence: op=${e.op} path=${e.path} expected=${e.expected} got=${e.got}`));
      for (const d of evidenceDetail(e, r.health)) out.push(diag(`  ${d}`));
    }
    if (r.evidence.length > MAX_EVIDENCE_SHOWN)
      out.push(diag(`... and ${r.evidence.length - MAX_EVIDENCE_SHOWN} more evidence items`));
  }
  if (r.health && !r.health.ok) {
    out.push(diag(`health: ${healthProblems(r.health).join('; ')}`));
    for (const l of r.health.kernelLines) out.push(diag(`kernel: ${l}`));
  }
  for (const n of ownHealthNotes(r, shared)) out.push(diag(`health note: ${n}`));
  const rp = r.reproducer;
  if (rp)
    out.push(diag(`reproducer: ${rp.file}${rp.steps ? ` (steps kept ${rp.steps.kept} of ${rp.steps.total})` : ''}`));
  if (r.race) {
    // The race's own figures, cycles/s first, and whether its workers could overlap at all.
    out.push(
      diag(
        `race: ${raceFields(r.race)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      ),
    );
    out.push(diag(`race overlap: ${r.race.overlap ? 'yes' : 'no'} (${r.race.overlapWhy})`));
    const note = raceNote(r.race);
    if (note) out.push(diag(`note: ${note}`));
  } else {
    const stats = statsHighlights(r.stats);
    if (stats.length > 0)
      out.push(diag(`stats: ${stats.map(([k, v]) => `${k}=${Math.round(v * 100) / 100}`).join(' ')}`));
  }
  // Last, right above the result line it qualifies.
  const cut = cutShortNote(r);
  if (cut) out.push(diag(`note: ${cut}`));
  return out;
}

/**
 * The result line: the name, then at most a bare directive (KTAP v1: SKIP,
 * ERROR, XFAIL; TIMEOUT stays a diagnostic), so a test keeps one name in CI
 * history whatever its outcome. The one exception is a variant that never ran:
 * `# ERROR not run: <why>`.
 */
export function resultLine(r: ScenarioResult, n: number): string {
  const name = ktapName(r.name);
  if (r.status === 'PASS') return `ok ${n} ${name}`;
  // Interrupted or cut by --bail before it ran: in the plan, and not ok (KTAP's ERROR directive).
  if (r.notRun) return `not ok ${n} ${name} # ERROR ${ktapName(r.reason ?? 'not run')}`;
  if (r.status === 'UNSUPPORTED') return `ok ${n} ${name} # SKIP`;
  if (r.status === 'UNRESOLVED') return `not ok ${n} ${name} # ERROR`;
  // kselftest's ksft_test_result_xfail: `ok N # XFAIL`.
  if (r.status === 'XFAIL') return `ok ${n} ${name} # XFAIL`;
  // kselftest prints `ok N # XPASS`, but here an XPASS fails the run, and KTAP
  // consumers (kunit_parser, CI greps) count only `not ok` as a failure.
  if (r.status === 'XPASS') return `not ok ${n} ${name} # XPASS`;
  return `not ok ${n} ${name}`;
}

/** The document's head: version, plan (omitted when unknown, as KTAP allows), and where it ran. */
export function headerLines(
  plan: number | undefined,
  tool: RunReport['tool'],
  env: RunReport['env'],
  shared: readonly string[],
): string[] {
  const out = ['KTAP version 1', ...(plan === undefined ? [] : [`1..${plan}`])];
  out.push(diag(`${tool.name} ${tool.version} on ${env.kernel.release} ${env.kernel.machine}, tracefs ${env.tracefs}`));
  if (env.accelerator) out.push(diag(`accelerator: ${env.accelerator}`));
  for (const n of shared) out.push(diag(`note: ${n}`));
  return out;
}

/** The document's tail: why it stopped early, the repeat summary, the totals. */
export function trailerLines(report: Pick<RunReport, 'interrupted' | 'repeat' | 'results'>): string[] {
  const out: string[] = [];
  if (report.interrupted) out.push(diag(`interrupted: ${report.interrupted}`));
  if (report.repeat) out.push(diag(repeatLine(report.repeat)));
  out.push(totalsDiag(report.results));
  return out;
}

export function totalsDiag(results: readonly ScenarioResult[]): string {
  const s = summarize(results);
  return diag(
    `Totals: pass:${s.pass} fail:${s.fail} xfail:${s.xfail} xpass:${s.xpass} skip:${s.skip} error:${s.unresolved + s.timeout}`,
  );
}

/** The lines of one run's KTAP document, without the trailing newline. */
export function ktapLines(report: RunReport): string[] {
  const shared = runNotes(report);
  const out = headerLines(report.results.length, report.tool, report.env, shared);
  report.results.forEach((r, i) => {
    out.push(...resultDiagnostics(r, shared), resultLine(r, i + 1));
  });
  out.push(...trailerLines(report));
  return out;
}

export function renderKtap(report: RunReport): string {
  return ktapLines(report).join('\n') + '\n';
}

/** Several runs (one per kernel) as subtests of one document: `ok N <kernel>` closes each. */
export function renderKtapMatrix(reports: readonly RunReport[]): string {
  const out = ['KTAP version 1', `1..${reports.length}`];
  reports.forEach((rep, i) => {
    out.push(...ktapLines(rep).map((l) => `  ${l}`));
    const code = exitCodeFor(rep);
    const label = ktapName(kernelLabel(rep.env));
    if (code === EXIT.failed || code === EXIT.usage) out.push(`not ok ${i + 1} ${label}`);
    else if (code === EXIT.skip)
      out.push(diag('skipped: nothing runnable on this kernel'), `ok ${i + 1} ${label} # SKIP`);
    else out.push(`ok ${i + 1} ${label}`);
  });
  return out.join('\n') + '\n';
}
