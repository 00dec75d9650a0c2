// SPDX-License-Identifier: GPL-2.0-only
// The self-test's reproducer table (`kernel selftest`, step 4): one row per
// generated reproducer (kernel x reproducer: generated, built, reproduced on
// its own kernel, quiet on clean), then the wall time per kernel. Pure: the
// judgement lives in repro-verdict.ts.
export type OwnCell = 'reproduced' | 'reproduced (oops)' | 'NOT' | '-';
export type CleanCell = 'clean' | 'NOT' | '-';

export interface Judged<C> {
  cell: C;
  /** Set when this fails the self-test. */
  problem?: string;
  /** The line that decided it (REPRODUCED: ..., not reproduced, a console line). */
  line?: string;
}

/** One reproducer through the step. */
export interface ReproRow {
  kernel: string;
  /** `<scenario>[<kind>]`. */
  name: string;
  race: boolean;
  /** The C file, and the binary when it built. */
  source: string;
  binary?: string;
  /** Where the compiler's output went when the build failed. */
  buildLog?: string;
  own?: Judged<OwnCell>;
  clean?: Judged<CleanCell>;
  /** Why it was not run (a cap on race boots), when it was not. */
  skipped?: string;
}

/**
 * A race is a matter of luck: a race reproducer that ran its whole duration
 * without a violation on its own kernel (exit 0) is a miss, not a failure,
 * when another race reproducer of the same kernel reproduced (as one boot of
 * a race-only mutant needs only one of its races to catch it).
 */
export function raceMissTolerated(r: ReproRow, rows: readonly ReproRow[]): boolean {
  if (!r.race || r.own?.cell !== 'NOT' || !/^exit 0 on its own kernel/.test(r.own.problem ?? '')) return false;
  return rows.some((x) => x !== r && x.kernel === r.kernel && x.race && x.own?.cell.startsWith('reproduced'));
}

/** Time the step spent on one kernel. */
export interface ReproKernelTime {
  kernel: string;
  /** The generation boot (Debian 6.1 only: the mutants generate in their suite boot). */
  generateMs?: number;
  buildMs: number;
  runMs: number;
  boots: number;
}

const cellOf = (r: ReproRow, side: 'own' | 'clean', rows: readonly ReproRow[]): string => {
  const j = r[side];
  if (side === 'own' && raceMissTolerated(r, rows)) return 'missed (race)';
  if (r.skipped && !j) return 'not run';
  if (!r.binary) return '-';
  return j ? j.cell : '-';
};

/** Markdown: the rows, each problem under the table, then the times. */
export function renderReproTable(rows: readonly ReproRow[], times: readonly ReproKernelTime[]): string {
  const lines = [
    '| kernel | reproducer | mode | generated | built | on its kernel | on clean |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const built = r.binary ? 'yes' : 'FAILED';
    lines.push(
      `| ${r.kernel} | ${r.name} | ${r.race ? 'race' : 'single'} | yes | ${built} | ${cellOf(r, 'own', rows)} | ${cellOf(r, 'clean', rows)} |`,
    );
  }
  for (const t of times)
    if (!rows.some((r) => r.kernel === t.kernel) && t.kernel !== 'clean')
      lines.push(`| ${t.kernel} | (none) | | no | | | |`);
  const notes = rows.flatMap((r) => {
    const out: string[] = [];
    if (r.own?.cell === 'reproduced (oops)')
      out.push(
        `- ${r.kernel} / ${r.name}: reproduced by a kernel failure that ended the guest (race reproducer): ${r.own.line ?? ''}`,
      );
    else if (r.own?.line && r.own.cell === 'reproduced') out.push(`- ${r.kernel} / ${r.name}: ${r.own.line}`);
    if (raceMissTolerated(r, rows))
      out.push(
        `- ${r.kernel} / ${r.name}: missed (${r.own!.problem}); another race reproducer of ${r.kernel} reproduced`,
      );
    if (r.skipped) out.push(`- ${r.kernel} / ${r.name}: ${r.skipped}`);
    return out;
  });
  const timeLines = [
    '| kernel | generation boot | build | reproducer boots | wall |',
    '|---|---|---|---|---|',
    ...times.map(
      (t) =>
        `| ${t.kernel} | ${t.generateMs === undefined ? '(in the suite boot)' : `${s(t.generateMs)} s`} | ${s(t.buildMs)} s | ` +
        `${t.boots} in ${s(t.runMs)} s | ${s((t.generateMs ?? 0) + t.buildMs + t.runMs)} s |`,
    ),
  ];
  return [
    ...lines,
    '',
    'Verdict lines:',
    ...(notes.length ? notes : ['- (none)']),
    '',
    'Time per kernel:',
    ...timeLines,
  ].join('\n');
}

const s = (ms: number): string => (ms / 1000).toFixed(0);
