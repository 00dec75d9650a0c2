// SPDX-License-Identifier: GPL-2.0-only
// The planted-regression self-test's tables (`tracefs-regress kernel
// selftest`): the kernel x scenario table, the race-only mutants' boots, the
// ftracetest comparison and the closing verdict. Pure: the judgement lives in
// verdict.ts, which fills these shapes; nothing here runs.
import { EXIT, type ExitCode } from '../../errors.js';

export type CellStatus = 'PASS' | 'FAIL' | 'UNRES' | 'SKIP' | '-';

/** One scenario on one kernel, its kinds folded. */
export interface Cell {
  status: CellStatus;
  /** Named in the mutant's header (`Expect:`). */
  expected: boolean;
  /** Seconds from the start of the suite to the end of the first failing run of this scenario. */
  atS?: number;
  quote?: string;
}

/** Did the suite catch on one kernel exactly what the mutant's header claims (or, clean, pass)? */
export interface Verdict {
  ok: boolean;
  summary: string;
  problems: string[];
  /** scenario id -> the first violation, quoted. */
  caught: Record<string, string>;
}

export interface SuiteRow {
  name: string;
  cells: Map<string, Cell>;
  verdict: Verdict;
  wallMs: number;
}

/** Markdown: one row per kernel, one column per scenario; FAIL cells carry the time to the violation, * marks the header's claims. */
export function renderSuiteTable(rows: readonly SuiteRow[]): string {
  const ids: string[] = [];
  for (const r of rows) for (const id of r.cells.keys()) if (!ids.includes(id)) ids.push(id);
  const head = `| kernel | ${ids.join(' | ')} | verdict | suite wall |`;
  const sep = `|${'---|'.repeat(ids.length + 3)}`;
  const body = rows.map((r) => {
    const cells = ids.map((id) => {
      const c = r.cells.get(id);
      if (!c) return '';
      const t = c.status === 'FAIL' && c.atS !== undefined ? ` ${c.atS.toFixed(1)}s` : '';
      return `${c.status}${t}${c.expected ? '*' : ''}`;
    });
    return `| ${r.name} | ${cells.join(' | ')} | ${r.verdict.ok ? 'ok' : 'NOT OK'} | ${seconds(r.wallMs)} |`;
  });
  const first = rows.flatMap((r) =>
    Object.entries(r.verdict.caught)
      .slice(0, 1)
      .map(([id, q]) => `- ${r.name} / ${id}: ${q}`),
  );
  return [
    head,
    sep,
    ...body,
    '',
    "`*` = named in the mutant's header; FAIL time = seconds from suite start to the end of the first failing run.",
    '',
    'First violation quoted per mutant:',
    ...first,
  ].join('\n');
}

/** A race-only mutant over its boots, as kernel/selftest/verdict.ts tallies it. */
export interface RaceTally {
  name: string;
  boots: number;
  /** Boots that caught it. */
  hits: number;
  /** Seconds of racing to the first failure, per boot that failed, in boot order. */
  secondsToFailure: number[];
  /** Their median; undefined when no boot failed. */
  medianS?: number;
  /** The scenarios that failed in any boot, first seen first. */
  by: string[];
}

/** `name: caught in 3/3 boots; first failure after 31.3 s of racing (median; 30.7, 31.3, 31.4); by race-...` */
export function renderRaceLine(t: RaceTally): string {
  return (
    `${t.name}: caught in ${t.hits}/${t.boots} boots` +
    (t.medianS === undefined
      ? ''
      : `; first failure after ${t.medianS.toFixed(1)} s of racing (median; ${t.secondsToFailure.map((x) => x.toFixed(1)).join(', ')})`) +
    `; by ${t.by.join(', ') || 'nothing'}`
  );
}

/** The paragraph after the suite table (empty when no race-only mutant ran). */
export function renderRaceSection(lines: readonly string[], raceRuns: number): string {
  if (!lines.length) return '';
  return `\n\nRace-only mutants, ${raceRuns} boots each under the defaults:\n${lines.map((l) => `- ${l}`).join('\n')}`;
}

/** ftracetest on one kernel against the clean kernel's run. */
export interface FtraceComparison {
  caught: boolean;
  summary: string;
  newlyFailing: string[];
}

export interface FtraceRow {
  name: string;
  /** The clean kernel's row shows its own counts instead of caught/missed. */
  clean: boolean;
  comparison: FtraceComparison;
  wallMs: number;
}

/** Markdown: one row per kernel; at most four newly failing tests named. */
export function renderFtraceTable(rows: readonly FtraceRow[]): string {
  const lines = ['| kernel | ftracetest verdict | newly failing tests (vs clean) | wall |', '|---|---|---|---|'];
  for (const r of rows) {
    const cmp = r.comparison;
    const verdict = r.clean ? cmp.summary : cmp.caught ? 'caught' : 'missed';
    const more = cmp.newlyFailing.length > 4 ? ` (+${cmp.newlyFailing.length - 4})` : '';
    lines.push(`| ${r.name} | ${verdict} | ${cmp.newlyFailing.slice(0, 4).join('; ')}${more} | ${seconds(r.wallMs)} |`);
  }
  return lines.join('\n');
}

/** The closing verdict: every problem of every kernel fails the self-test. */
export interface SelftestOutcome {
  exitCode: ExitCode;
  /** Lines for stderr, unprefixed. */
  lines: string[];
}

export function selftestOutcome(failures: readonly string[], o: { suiteRan: boolean }): SelftestOutcome {
  if (failures.length) return { exitCode: EXIT.failed, lines: [`FAILED:\n  ${failures.join('\n  ')}`] };
  return {
    exitCode: EXIT.ok,
    lines: o.suiteRan ? ['every mutant caught where its header says; the clean kernel passed'] : [],
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(0)} s`;
}
