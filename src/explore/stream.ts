// SPDX-License-Identifier: GPL-2.0-only
// What a guest's `explore --here --stream` tells the host, one JSON object per
// line on its stdout (vm --exec brings the bytes back unchanged). The program
// is sent before it runs: when the kernel dies inside it, the guest can say
// nothing more, and the last `program` line is the culprit.
import type { HealthDelta } from '../health/types.js';
import type { ExploreStats, StopReason } from './loop.js';

export type { ExploreStats };
import type { ModelViolation, Program } from './types.js';

export interface Finding {
  /** 'model': an action broke a rule of the model; 'health': the kernel warned, tainted or oopsed. */
  kind: 'model' | 'health';
  /** Index of the program in the run. */
  n: number;
  /** Exploring time when the program started, ms: the time to catch. */
  ms: number;
  what: string;
  violations: ModelViolation[];
  health?: HealthDelta;
  program: Program;
  /** After ddmin against the same kernel: the smallest program that still fails the same way. */
  shrunk?: Program;
  /** The C reproducer the guest generated (repro/emit.ts or repro/race.ts). */
  reproducer?: { file: string; text: string; mode: string };
}

export type ExploreRecord =
  | { t: 'start'; seed: number; kernel: { release: string; version: string }; kcov: boolean; kinds: string[] }
  /** ms: exploring time when it started. */
  | { t: 'program'; n: number; ms: number; program: Program }
  | { t: 'progress'; stats: ExploreStats }
  | { t: 'finding'; finding: Finding }
  | { t: 'end'; stats: ExploreStats; stopped: StopReason }
  | { t: 'error'; message: string };

export function renderRecord(r: ExploreRecord): string {
  return `${JSON.stringify(r)}\n`;
}

export interface ParsedStream {
  records: ExploreRecord[];
  /** Lines that were not records: what else the program printed, or a line the serial port mangled. */
  other: string[];
}

const KINDS = new Set(['start', 'program', 'progress', 'finding', 'end', 'error']);

/** One line: a record, or undefined for anything else (never throws: the guest's output is untrusted). */
export function parseRecord(line: string): ExploreRecord | undefined {
  const text = line.replace(/\r$/, '');
  if (!text.startsWith('{"t":')) return undefined;
  try {
    const v = JSON.parse(text) as { t?: unknown };
    return typeof v === 'object' && v !== null && typeof v.t === 'string' && KINDS.has(v.t)
      ? (v as ExploreRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

export function parseStream(text: string): ParsedStream {
  const out: ParsedStream = { records: [], other: [] };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const r = parseRecord(line);
    if (r) out.records.push(r);
    else out.other.push(line);
  }
  return out;
}

/** How the guest's run ended, read from its records and vm's exit. */
export type GuestEnd =
  | { kind: 'finding'; findings: Finding[]; stats?: ExploreStats }
  | { kind: 'clean'; stats: ExploreStats }
  /** The guest died (oops, panic, timeout) with this program running, or before any program. */
  | { kind: 'died'; last?: { n: number; ms: number; program: Program }; stats?: ExploreStats }
  | { kind: 'error'; message: string };

function lastOf<K extends ExploreRecord['t']>(
  records: readonly ExploreRecord[],
  t: K,
): Extract<ExploreRecord, { t: K }> | undefined {
  for (let i = records.length - 1; i >= 0; i--)
    if (records[i]!.t === t) return records[i] as Extract<ExploreRecord, { t: K }>;
  return undefined;
}

export function guestEnd(records: readonly ExploreRecord[], vmExit: number | undefined): GuestEnd {
  // A finding may come twice (as found, then shrunk, under --keep-going): the last of each program counts.
  const byProgram = new Map<number, Finding>();
  for (const r of records) if (r.t === 'finding') byProgram.set(r.finding.n, r.finding);
  const findings = [...byProgram.values()];
  const end = lastOf(records, 'end');
  const stats = end?.stats ?? lastOf(records, 'progress')?.stats;
  const error = records.find((r) => r.t === 'error');
  if (findings.length) return { kind: 'finding', findings, ...(stats ? { stats } : {}) };
  if (error?.t === 'error') return { kind: 'error', message: error.message };
  if (end && vmExit === 0) return { kind: 'clean', stats: end.stats };
  if (vmExit === 2 || (vmExit === 0 && !end))
    return { kind: 'error', message: `the guest's explore ended without its result (vm exit ${vmExit})` };
  // vm exit 1 (the kernel failed, even after the last record) or no exit (timed out, killed): the last program ran into it.
  const last = lastOf(records, 'program');
  return {
    kind: 'died',
    ...(last ? { last: { n: last.n, ms: last.ms, program: last.program } } : {}),
    ...(stats ? { stats } : {}),
  };
}
