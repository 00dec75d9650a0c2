// SPDX-License-Identifier: GPL-2.0-only
// Wording shared by every reporter, so pretty, KTAP, JSON and JUnit describe a
// failure, a health change or race statistics in the same terms.
import type { Evidence } from '../model.js';
import type { RaceStats, RaceSummary } from '../race/types.js';
import type { ExpectationNote, RunEnvironment, RunReport, ScenarioResult } from './types.js';
import type { HealthDelta } from '../health/types.js';

/**
 * Control characters (a read's payload, a kernel line) escaped so one item
 * stays one line and no terminal acts on it: C0, DEL and C1 (U+009B is a CSI).
 */
export function oneLine(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** "open /x/enable: expected ENOENT, got fd" */
export function evidenceSummary(e: Evidence): string {
  return `${oneLine(e.op)} ${oneLine(e.path)}: expected ${oneLine(e.expected)}, got ${oneLine(e.got)}`;
}

/**
 * An evidence item's detail lines, minus the kernel lines the health block
 * prints anyway (the runner copies them into a 'kernel health' evidence item).
 */
export function evidenceDetail(e: Evidence, h: HealthDelta | undefined): string[] {
  if (!e.detail) return [];
  if (h && h.kernelLines.length > 0 && e.detail === h.kernelLines.join('\n')) return [];
  return e.detail.split('\n');
}

/** What made a health delta not ok, e.g. ["oops_count 0 -> 1", "taint gained D (now DW)"]. */
export function healthProblems(h: HealthDelta): string[] {
  const out: string[] = [];
  if (h.oopsCount && h.oopsCount.after > h.oopsCount.before)
    out.push(`oops_count ${h.oopsCount.before} -> ${h.oopsCount.after}`);
  if (h.warnCount && h.warnCount.after > h.warnCount.before)
    out.push(`warn_count ${h.warnCount.before} -> ${h.warnCount.after}`);
  if (h.taint && h.taint.gained) out.push(`taint gained ${h.taint.gained} (now ${h.taint.letters}, ${h.taint.after})`);
  else if (h.taint && h.taint.after !== h.taint.before)
    out.push(`taint ${h.taint.before} -> ${h.taint.after} (${h.taint.letters || 'none'})`);
  const reports = h.kernelLines.filter((l) => !l.startsWith('... ')).length;
  if (reports > 0) out.push(`${reports} kernel log line${reports === 1 ? '' : 's'}`);
  if (!h.ok && out.length === 0) out.push('kernel health check failed');
  return out;
}

/** Notes that apply to the whole run: the environment's, plus any health note every watched scenario repeats. */
export function runNotes(report: RunReport): string[] {
  const set = new Set(report.env.notes ?? []);
  const watched = report.results.filter((r) => r.health);
  if (watched.length > 0) {
    for (const n of watched[0]!.health!.notes ?? []) {
      if (watched.every((r) => r.health!.notes?.includes(n))) set.add(n);
    }
  }
  return [...set];
}

/** A result's own health notes, without the run-wide ones. */
export function ownHealthNotes(r: ScenarioResult, shared: readonly string[]): string[] {
  return (r.health?.notes ?? []).filter((n) => !shared.includes(n));
}

/** The few race figures worth a line (ops/s first), for reports without room for the full statistics. */
export function statsHighlights(stats: RaceStats | undefined): Array<[string, number]> {
  if (!stats) return [];
  return [
    ['opsPerSec', stats.opsPerSec],
    ['cyclesPerSec', stats.cyclesPerSec],
    ['cycles', stats.cycles],
    ['violations', stats.violationCount],
    ['threads', stats.threads],
    ['elapsedMs', stats.elapsedMs],
  ];
}

/** 987, 12.3k, 4.56M: for humans. */
export function compactNumber(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** "6.12.38+deb12-amd64" or "6.12.38+deb12-amd64 (tcg thread=single)": names a run in matrices. */
export function kernelLabel(env: RunEnvironment): string {
  return env.accelerator ? `${env.kernel.release} (${env.accelerator})` : env.kernel.release;
}

/** `"WARNING:" and "enable_trace_kprobe"`: an expectation's signature as a reader sees it. */
export function signatureText(sig: readonly string[]): string {
  return sig.map((s) => JSON.stringify(s)).join(' and ');
}

/** "kernel/known-bugs.json entry 3", or "kernel/known-bugs.json CVE-2026-74605" for a known crasher */
export function entryLabel(n: ExpectationNote): string {
  return n.crasher ? `${n.source} ${n.crasher}` : `${n.source} entry ${n.entry}`;
}

/**
 * What an expectations entry made of a result, in words every reporter uses:
 * why it is expected, where the signature was found, what to do about an XPASS.
 */
export function expectationText(n: ExpectationNote): string[] {
  const ref = n.reference ? ` [${n.reference}]` : '';
  switch (n.verdict) {
    case 'xfail':
      return [
        `expected failure (${entryLabel(n)}${n.via ? `, the console side of ${n.via}` : ''}): ${n.why}${ref}`,
        `signature ${signatureText(n.signature)} found: ${n.matched ?? ''}`,
      ];
    case 'xpass':
      return [
        `expected to fail (${entryLabel(n)}): ${n.why}${ref}`,
        'but it passed: if this kernel is fixed, drop or narrow the entry; if the failure does not show in every run, make it "flaky"',
      ];
    case 'flaky-pass':
      return [
        `passed; a failure with ${signatureText(n.signature)} would also be accepted (${entryLabel(n)}, flaky): ${n.why}${ref}`,
      ];
    case 'mismatch':
      return [
        `not the expected failure: ${entryLabel(n)} expects ${signatureText(n.signature)} (${n.why}), which this failure does not show`,
      ];
    case 'skip':
      return [`not run on this kernel (${entryLabel(n)}): ${n.why}${ref}`];
  }
}

/** Evidence items shown inline before "... and N more" (JSON and JUnit keep them all). */
export const MAX_EVIDENCE_SHOWN = 20;

/**
 * The plain note every report carries on a race whose workers could not
 * overlap (single-threaded TCG, one CPU): its PASS must not read as strong.
 */
export function raceNote(race: RaceSummary | undefined): string | undefined {
  if (!race || race.overlap) return undefined;
  return `the race's workers could not overlap (${race.overlapWhy}), so a PASS here proves little`;
}

/** What every report says of a variant a signal stopped while it ran. */
export function cutShortNote(r: ScenarioResult): string | undefined {
  return r.cutShort ? `cut short by ${r.cutShort}: the verdict covers only the time before it` : undefined;
}

/** A result's notes for display: the cut-short and race notes first, then its own (without repeating them). */
export function resultNotes(r: ScenarioResult): string[] {
  const first = [cutShortNote(r), raceNote(r.race)].filter((n): n is string => n !== undefined);
  return [...first, ...(r.notes ?? []).filter((n) => !first.includes(n))];
}

/** The race's figures in display order, cycles/s (the figure of merit) first. */
export function raceFields(race: RaceSummary): Array<[string, number | string]> {
  return [
    ['cyclesPerSec', race.cyclesPerSec],
    ['cycles', race.cycles],
    ['opsPerSec', race.opsPerSec],
    ['ops', race.ops],
    ['threads', race.threads],
    ['cpus', race.cpus],
    ['overlap', race.overlap ? 'yes' : 'no'],
  ];
}

/** "60", "2.5": a limit in seconds, as KTAP's `# TIMEOUT N seconds` (kselftest's runner) and the reasons say it. */
export function secondsText(ms: number): string {
  return String(Math.round(ms) / 1000);
}
