// SPDX-License-Identifier: GPL-2.0-only
// The compact human summary: one line per result, failures followed by their
// evidence, and a last line "N passed, N failed, N skipped" that scripts grep.
import { knownBugLine } from './known-bug.js';
import {
  isFailing,
  summarize,
  type IterationSummary,
  type RepeatSummary,
  type RunReport,
  type ScenarioResult,
  type Summary,
} from './types.js';
import type { RaceSummary } from '../race/types.js';
import {
  compactNumber,
  cutShortNote,
  evidenceDetail,
  evidenceSummary,
  expectationText,
  healthProblems,
  kernelLabel,
  MAX_EVIDENCE_SHOWN,
  oneLine,
  ownHealthNotes,
  raceFields,
  raceNote,
  runNotes,
  statsHighlights,
} from './text.js';
import { iterationLabel, repeatLine } from './repeat.js';

export interface PrettyOptions {
  /** ANSI colour; decide with useColor(stream). */
  color?: boolean;
  /** Also the notes of passing results. */
  verbose?: boolean;
  /** The per-result lines were already printed live (liveLine): print only the recap and totals. */
  liveShown?: boolean;
}

/** --color, FORCE_COLOR, NO_COLOR and the terminal: decided in one place. */
export { useColor } from '../util/color.js';

const SGR = { red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
type Style = keyof typeof SGR;

function painter(on: boolean | undefined): (s: string, st: Style) => string {
  return on ? (s, st) => `\x1b[${SGR[st]}m${s}\x1b[0m` : (s) => s;
}

const LABEL: Record<ScenarioResult['status'], [string, Style]> = {
  PASS: ['PASS', 'green'],
  FAIL: ['FAIL', 'red'],
  UNRESOLVED: ['UNRES', 'magenta'],
  UNSUPPORTED: ['SKIP', 'yellow'],
  TIMEOUT: ['TIMEOUT', 'red'],
  XFAIL: ['XFAIL', 'cyan'],
  XPASS: ['XPASS', 'red'],
};

const IND = '      ';

/** Every text that is not ours (kernel lines, payloads, reasons, notes) goes through this: no raw control byte reaches the terminal. */
const t = oneLine;

/** One result: its line, then (for failures) evidence and kernel lines indented below. */
export function liveLine(r: ScenarioResult, opts: PrettyOptions & { sharedNotes?: readonly string[] } = {}): string {
  const paint = painter(opts.color);
  const [word, style] = LABEL[r.status];
  const head = `${paint(word.padEnd(5), style)} ${t(r.name)}`;
  if (r.status === 'UNSUPPORTED') return `${head}  ${t(r.reason ?? 'unsupported')}`;
  if (r.notRun) return `${head}  ${t(r.reason ?? 'not run')}`;
  let line = `${head}  ${r.checks} check${r.checks === 1 ? '' : 's'}  ${r.durationMs} ms`;
  // A race's own figures (cycles/s first) replace the generic stats picks.
  const stats = r.race ? raceText(r.race) : statsHighlights(r.stats).map(([k, v]) => `${k}=${compactNumber(v)}`);
  if (stats.length > 0) line += '  ' + stats.join(' ');
  const out = [line];
  // Always shown, PASS included: a run the signal cut short, a race that could not overlap, must not read as strong evidence.
  const cut = cutShortNote(r);
  if (cut) out.push(`${IND}note: ${t(cut)}`);
  const note = raceNote(r.race);
  if (note) out.push(`${IND}note: ${t(note)}`);
  if (r.expectation) {
    // A flaky entry's pass is news only in verbose mode; every other verdict always shows.
    if (r.expectation.verdict !== 'flaky-pass' || opts.verbose)
      for (const l of expectationText(r.expectation)) out.push(`${IND}${t(l)}`);
  }
  // Named by the known bug it matches (or NEW): always shown, XFAIL included.
  const named = knownBugLine(r);
  if (named) out.push(`${IND}${t(named)}`);
  // A known failure (XFAIL) says which entry and line matched; its full evidence is for -v and the machine formats.
  const failed = r.status !== 'PASS' && r.status !== 'XPASS' && (r.status !== 'XFAIL' || !!opts.verbose);
  if (r.status === 'UNRESOLVED') out.push(`${IND}unresolved: ${t(r.reason ?? 'no reason given')}`);
  if (r.status === 'TIMEOUT') out.push(`${IND}timeout: ${t(r.reason ?? 'timed out')}`);
  if (failed) {
    for (const e of r.evidence.slice(0, MAX_EVIDENCE_SHOWN)) {
      out.push(IND + evidenceSummary(e));
      for (const d of evidenceDetail(e, r.health)) out.push(`${IND}  ${paint(t(d), 'dim')}`);
    }
    if (r.evidence.length > MAX_EVIDENCE_SHOWN)
      out.push(`${IND}... and ${r.evidence.length - MAX_EVIDENCE_SHOWN} more`);
  }
  if (r.health && !r.health.ok && (r.status !== 'XFAIL' || opts.verbose)) {
    out.push(`${IND}${paint('kernel:', 'red')} ${healthProblems(r.health).join(', ')}`);
    for (const l of r.health.kernelLines) out.push(`${IND}  ${t(l)}`);
  }
  if (failed || opts.verbose) {
    for (const n of ownHealthNotes(r, opts.sharedNotes ?? [])) out.push(`${IND}note: ${t(n)}`);
    for (const n of r.notes ?? []) if (n !== note) out.push(`${IND}note: ${t(n)}`);
  }
  return out.join('\n');
}

const SHORT: Record<string, string> = { cyclesPerSec: 'cycles/s', opsPerSec: 'ops/s' };

/** "cycles/s=212.5 cycles=640 ops/s=56.2k ops=169.2k threads=2 cpus=2 overlap=yes" */
function raceText(race: RaceSummary): string[] {
  return raceFields(race).map(([k, v]) => `${SHORT[k] ?? k}=${typeof v === 'number' ? compactNumber(v) : v}`);
}

/** "12 passed, 0 failed, 7 skipped" (", 1 unresolved", ", 3 not run", ", 1 timed out", ", 2 xfailed", ", 1 xpassed" only when there are some). */
export function totalsLine(s: Summary, color?: boolean): string {
  const paint = painter(color);
  const failed = `${s.fail} failed`;
  let t = `${s.pass} passed, ${s.fail > 0 ? paint(failed, 'red') : failed}, ${s.skip} skipped`;
  if (s.unresolved > s.notRun) t += `, ${paint(`${s.unresolved - s.notRun} unresolved`, 'magenta')}`;
  if (s.notRun > 0) t += `, ${paint(`${s.notRun} not run`, 'magenta')}`;
  if (s.timeout > 0) t += `, ${paint(`${s.timeout} timed out`, 'red')}`;
  if (s.xfail > 0) t += `, ${paint(`${s.xfail} xfailed`, 'cyan')}`;
  if (s.xpass > 0) t += `, ${paint(`${s.xpass} xpassed`, 'red')}`;
  return t;
}

function headerLine(report: RunReport): string {
  const e = report.env;
  const accel = e.accelerator ? `, ${e.accelerator}` : '';
  return (
    t(
      `${report.tool.name} ${report.tool.version} on ${e.kernel.release} (${e.kernel.machine}${accel}), tracefs ${e.tracefs}`,
    ) + `, ${(report.durationMs / 1000).toFixed(1)} s`
  );
}

/** Everything but the totals line. */
function body(report: RunReport, opts: PrettyOptions): string[] {
  const shared = runNotes(report);
  const out: string[] = [];
  if (!opts.liveShown) out.push(headerLine(report));
  for (const n of shared) out.push(`note: ${t(n)}`);
  if (!opts.liveShown) for (const r of report.results) out.push(liveLine(r, { ...opts, sharedNotes: shared }));
  else {
    // Live lines showed what ran; what never ran is named here.
    const bad = report.results.filter((r) => isFailing(r.status) && !r.notRun).map((r) => t(r.name));
    if (bad.length > 0) out.push(`not passed: ${bad.join(', ')}`);
    const notRun = report.results.filter((r) => r.notRun).map((r) => t(r.name));
    if (notRun.length > 0) out.push(`not run: ${notRun.join(', ')}`);
  }
  // A repeated run: one line per iteration (already printed live when liveShown).
  if (report.repeat && !opts.liveShown)
    for (const it of report.repeat.iterations) out.push(iterationLine(it, report.repeat, opts.color));
  if (report.interrupted) out.push(`interrupted: ${t(report.interrupted)}`);
  return out;
}

/** "iteration 3/10: 2 passed, 0 failed, 0 skipped" (its own totals). */
export function iterationLine(
  it: IterationSummary,
  s: Pick<RepeatSummary, 'planned' | 'untilFail'>,
  color?: boolean,
): string {
  const cut = it.status === 'interrupted' ? ' (interrupted)' : it.status === 'error' ? " (the tool's own failure)" : '';
  return `${iterationLabel(it.iteration, s)}: ${totalsLine(it.totals, color)}${cut}`;
}

export function renderPretty(report: RunReport, opts: PrettyOptions = {}): string {
  const lines = [...body(report, opts), totalsLine(summarize(report.results), opts.color)];
  // The repeat summary comes last: what someone chasing a flaky race reads first.
  if (report.repeat) lines.push(t(repeatLine(report.repeat)));
  return lines.join('\n') + '\n';
}

/** One block per kernel with its own totals; the last line totals every run. */
export function renderPrettyMatrix(reports: readonly RunReport[], opts: PrettyOptions = {}): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`== ${t(kernelLabel(r.env))} ==`, ...body(r, opts), totalsLine(summarize(r.results), opts.color), '');
  }
  out.push(`${reports.length} kernel${reports.length === 1 ? '' : 's'}`);
  out.push(totalsLine(summarize(reports.flatMap((r) => r.results)), opts.color));
  return out.join('\n') + '\n';
}
