// SPDX-License-Identifier: GPL-2.0-only
// lcov's tracefile (geninfo(1), "TRACEFILE FORMAT"), parsed strictly: a line
// that is not one of its records is an error, never skipped, so a truncated
// or foreign file cannot pass for a low (or a perfect) figure.

export interface FileCoverage {
  /** SF: as lcov wrote it (an absolute source path). */
  file: string;
  /** Line number -> execution count. */
  lines: Map<number, number>;
  /** Function name -> { first line, execution count }. */
  functions: Map<string, { line: number; hits: number }>;
  /** `line,block,branch` -> times taken (0 for lcov's '-': never evaluated). */
  branches: Map<string, number>;
}

export interface Tracefile {
  files: FileCoverage[];
}

export class TracefileError extends Error {
  constructor(
    readonly lineNo: number,
    message: string,
  ) {
    super(`tracefile line ${lineNo}: ${message}`);
    this.name = 'TracefileError';
  }
}

const COUNT = /^\d+$/;

function count(text: string, lineNo: number, what: string): number {
  if (!COUNT.test(text)) throw new TracefileError(lineNo, `${what} '${text}' is not a count`);
  return Number(text);
}

/** Parse a whole tracefile; records of one source file given twice are added up. */
export function parseTracefile(text: string): Tracefile {
  const byFile = new Map<string, FileCoverage>();
  let cur: FileCoverage | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trimEnd();
    if (line === '') return;
    if (line === 'end_of_record') {
      if (!cur) throw new TracefileError(n, 'end_of_record outside a record');
      cur = undefined;
      return;
    }
    const colon = line.indexOf(':');
    if (colon < 0) throw new TracefileError(n, `'${line.slice(0, 60)}' is not a tracefile record`);
    const key = line.slice(0, colon);
    const val = line.slice(colon + 1);
    if (key === 'TN') return;
    if (key === 'SF') {
      if (cur) throw new TracefileError(n, `SF:${val} before the end_of_record of ${cur.file}`);
      if (!val) throw new TracefileError(n, 'SF: without a file name');
      cur = byFile.get(val);
      if (!cur) byFile.set(val, (cur = { file: val, lines: new Map(), functions: new Map(), branches: new Map() }));
      return;
    }
    if (!cur) throw new TracefileError(n, `${key}: outside a record (no SF: before it)`);
    const f = cur;
    const parts = val.split(',');
    switch (key) {
      case 'FN': {
        if (parts.length < 2) throw new TracefileError(n, `FN:${val}: want <line>,<name>`);
        const at = count(parts[0]!, n, 'FN line');
        const name = parts.slice(1).join(',');
        const old = f.functions.get(name);
        f.functions.set(name, { line: at, hits: old?.hits ?? 0 });
        return;
      }
      case 'FNDA': {
        if (parts.length < 2) throw new TracefileError(n, `FNDA:${val}: want <count>,<name>`);
        const hits = count(parts[0]!, n, 'FNDA count');
        const name = parts.slice(1).join(',');
        const old = f.functions.get(name);
        f.functions.set(name, { line: old?.line ?? 0, hits: (old?.hits ?? 0) + hits });
        return;
      }
      case 'DA': {
        if (parts.length < 2 || parts.length > 3)
          throw new TracefileError(n, `DA:${val}: want <line>,<count>[,<checksum>]`);
        const at = count(parts[0]!, n, 'DA line');
        f.lines.set(at, (f.lines.get(at) ?? 0) + count(parts[1]!, n, 'DA count'));
        return;
      }
      case 'BRDA': {
        if (parts.length !== 4) throw new TracefileError(n, `BRDA:${val}: want <line>,<block>,<branch>,<taken>`);
        for (const [k, p] of [
          ['BRDA line', parts[0]!],
          ['BRDA block', parts[1]!],
          ['BRDA branch', parts[2]!],
        ] as const)
          count(p, n, k);
        const id = parts.slice(0, 3).join(',');
        const taken = parts[3] === '-' ? 0 : count(parts[3]!, n, 'BRDA taken');
        f.branches.set(id, (f.branches.get(id) ?? 0) + taken);
        return;
      }
      case 'FNF':
      case 'FNH':
      case 'LF':
      case 'LH':
      case 'BRF':
      case 'BRH':
        // Totals are recomputed from the records above; they must still be counts.
        count(val, n, key);
        return;
      default:
        throw new TracefileError(n, `unknown record '${key}:'`);
    }
  });
  if (cur)
    throw new TracefileError(
      lines.length,
      `the record of ${(cur as FileCoverage).file} has no end_of_record (truncated?)`,
    );
  return { files: [...byFile.values()] };
}

export interface HitTotal {
  hit: number;
  total: number;
}

export interface FileSummary {
  /** The name asked for (relative to the tree, e.g. fs/tracefs/inode.c). */
  file: string;
  /** False when the tracefile has no record of it: 0/0, never 100%. */
  present: boolean;
  lines: HitTotal;
  functions: HitTotal;
  branches: HitTotal;
}

/** The record whose SF: is `rel` itself or ends with /rel. */
export function findFile(t: Tracefile, rel: string): FileCoverage | undefined {
  return t.files.find((f) => f.file === rel || f.file.endsWith(`/${rel}`));
}

function hitTotal(counts: Iterable<number>): HitTotal {
  let hit = 0;
  let total = 0;
  for (const c of counts) {
    total++;
    if (c > 0) hit++;
  }
  return { hit, total };
}

export function summarise(t: Tracefile, rel: string): FileSummary {
  const f = findFile(t, rel);
  if (!f) {
    const zero = { hit: 0, total: 0 };
    return { file: rel, present: false, lines: zero, functions: zero, branches: zero };
  }
  return {
    file: rel,
    present: true,
    lines: hitTotal(f.lines.values()),
    functions: hitTotal([...f.functions.values()].map((x) => x.hits)),
    branches: hitTotal(f.branches.values()),
  };
}

/** Functions of `rel` no run reached (FNDA:0), by line; [] when the file is absent. */
export function unreachedFunctions(t: Tracefile, rel: string): { name: string; line: number }[] {
  const f = findFile(t, rel);
  if (!f) return [];
  return [...f.functions.entries()]
    .filter(([, v]) => v.hits === 0)
    .map(([name, v]) => ({ name, line: v.line }))
    .sort((a, b) => a.line - b.line);
}

/** hit/total and a percentage; '-' for a total of 0 (nothing to reach is not 100%). */
export function pct(h: HitTotal): string {
  return h.total === 0 ? '-' : `${((100 * h.hit) / h.total).toFixed(1)}%`;
}

export function ratio(h: HitTotal): string {
  return `${h.hit}/${h.total}`;
}

/** The files the issue measures: tracefs and the dynamic-event side of kernel/trace. */
export const SUMMARY_FILES = [
  'fs/tracefs/event_inode.c',
  'fs/tracefs/inode.c',
  'kernel/trace/trace_events.c',
  'kernel/trace/trace_dynevent.c',
  'kernel/trace/trace_kprobe.c',
  'kernel/trace/trace_uprobe.c',
] as const;

/** One line per file: lines, functions and branches hit/total (%); absent files say so. */
export function summaryTable(t: Tracefile, files: readonly string[] = SUMMARY_FILES): string {
  const rows = files.map((f) => summarise(t, f));
  const w = Math.max(...rows.map((r) => r.file.length), 4);
  const cell = (h: HitTotal) => `${ratio(h)} (${pct(h)})`.padEnd(18);
  const out = [`${'file'.padEnd(w)}  ${'lines'.padEnd(18)}${'functions'.padEnd(18)}branches`];
  for (const r of rows) {
    out.push(
      `${r.file.padEnd(w)}  ${cell(r.lines)}${cell(r.functions)}${ratio(r.branches)} (${pct(r.branches)})${r.present ? '' : '  not in the tracefile (not instrumented or not built)'}`,
    );
  }
  return out.join('\n') + '\n';
}
