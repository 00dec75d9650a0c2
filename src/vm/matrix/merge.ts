// SPDX-License-Identifier: GPL-2.0-only
// `report merge`: the JSON of a sharded `vm` run (one file per --shard job)
// put back together as the unsharded run would have written it. Every boot's
// report carries its cell of the plan (src/vm/matrix/cells.ts), so the merge can
// refuse files of another plan and name the cells no shard reported: a lost
// CI job must not look like a pass, so each missing cell becomes an
// UNRESOLVED boot, as a boot that never reported back is in an unsharded run.
import { UsageError } from '../../errors.js';
import type { MatrixCell, RunReport } from '../../report/types.js';
import { BOOT_RESULT, hostCheck } from './matrix.js';
import { shardOf } from './cells.js';

/** One saved report's runs and the file they came from. */
export interface MergeInput {
  file: string;
  runs: readonly RunReport[];
}

export interface Merged {
  /** Every cell of the plan in order: the reported boots, an UNRESOLVED stand-in for each missing one. */
  runs: RunReport[];
  /** The cells no file had, in order. */
  missing: MatrixCell[];
  /** What the merge noticed that is no error (a cell given twice, identically), one line each. */
  notes: string[];
}

const HOW = 'merge the JSON reports of the --shard jobs of one vm command (vm ... --shard i/n -- ... -f json -o FILE)';

interface Placed {
  run: RunReport;
  cell: MatrixCell;
  file: string;
}

/** The runs of every input, checked to be cells of one plan, in the plan's order; throws a UsageError naming the files. */
export function mergeShards(inputs: readonly MergeInput[]): Merged {
  const placed: Placed[] = [];
  for (const { file, runs } of inputs)
    runs.forEach((run, i) => {
      if (!run.matrix)
        throw new UsageError(
          `${file}: run ${i + 1} (${run.env.kernel.release}) has no matrix cell: it was not written by vm (or by a vm older than --shard); ${HOW}`,
        );
      placed.push({ run, cell: run.matrix, file });
    });
  const first = placed[0];
  if (!first)
    throw new UsageError(
      `nothing to merge: ${inputs.map((x) => x.file).join(', ')} hold${inputs.length === 1 ? 's' : ''} no boot (only empty shards); ${HOW}`,
    );
  for (const p of placed) checkSamePlan(first, p);
  const byIndex = new Map<number, Placed>();
  const notes: string[] = [];
  for (const p of placed) {
    const had = byIndex.get(p.cell.index);
    if (!had) byIndex.set(p.cell.index, p);
    else if (JSON.stringify(had.run) === JSON.stringify(p.run))
      notes.push(`cell ${p.cell.index} (${cellName(p.cell)}) is in ${had.file} and ${p.file}, identical: taken once`);
    else
      throw new UsageError(
        `cell ${p.cell.index} (${cellName(p.cell)}) is in ${had.file} and in ${p.file} with different results: ` +
          'two runs of one shard (a re-run job?); keep one of the two files',
      );
  }
  const { cells, boots } = first.cell;
  const count = shardCount(placed);
  const runs: RunReport[] = [];
  const missing: MatrixCell[] = [];
  for (let index = 0; index < cells; index++) {
    const p = byIndex.get(index);
    if (p) {
      runs.push(p.run);
      continue;
    }
    const cell: MatrixCell = {
      index,
      cells,
      kernel: kernelOf(index, boots, byIndex),
      boot: (index % boots) + 1,
      boots,
      plan: first.cell.plan,
      ...(count ? { shard: `${shardOf(index, cells, count)}/${count}` } : {}),
    };
    missing.push(cell);
    runs.push(standIn(cell, first.run));
  }
  return { runs, missing, notes };
}

/** Shards of one plan: the same fingerprint (kernels, boots, guest arguments) and number of cells; a cell inside it. */
function checkSamePlan(first: Placed, p: Placed): void {
  const a = first.cell;
  const b = p.cell;
  if (a.plan !== b.plan || a.cells !== b.cells || a.boots !== b.boots)
    throw new UsageError(
      `${first.file} and ${p.file} are reports of different plans (plan ${a.plan}: ${a.cells} cells, ${a.boots} boots each; ` +
        `plan ${b.plan}: ${b.cells} cells, ${b.boots} boots each): every shard must run the same kernels, --boots and run ` +
        `arguments (a kernel spec that resolved to other releases, e.g. the archive changed between jobs, is another plan); ${HOW}`,
    );
  if (b.index >= b.cells || b.boot > b.boots)
    throw new UsageError(
      `${p.file}: cell ${b.index} (boot ${b.boot}/${b.boots}) lies outside its plan of ${b.cells} cells: the file was edited or damaged; ${HOW}`,
    );
}

/** n of the --shard i/n the files were written by, when they say (an unsharded file says nothing). */
function shardCount(placed: readonly Placed[]): number | undefined {
  const s = placed.find((p) => p.cell.shard)?.cell.shard;
  return s ? Number(s.split('/')[1]) : undefined;
}

/** Cells are kernel-major: another boot of the same kernel names it; when none reported, its position does. */
function kernelOf(index: number, boots: number, byIndex: ReadonlyMap<number, Placed>): string {
  const k = Math.floor(index / boots);
  for (let i = k * boots; i < (k + 1) * boots; i++) {
    const p = byIndex.get(i);
    if (p) return p.cell.kernel;
  }
  return `kernel #${k + 1} (unreported)`;
}

export function cellName(c: MatrixCell): string {
  return c.boots > 1 ? `${c.kernel} boot ${c.boot}/${c.boots}` : c.kernel;
}

/** A missing cell as a boot that never reported back: one UNRESOLVED vm-boot result, so the merge fails. */
function standIn(cell: MatrixCell, like: RunReport): RunReport {
  const who = cell.shard ? `shard ${cell.shard}` : 'no shard';
  return {
    tool: like.tool,
    startedAt: like.startedAt,
    durationMs: 0,
    env: {
      kernel: { release: cell.kernel, version: '', machine: like.env.kernel.machine },
      tracefs: like.env.tracefs,
      features: [],
      hostname: '',
    },
    results: [
      hostCheck(
        BOOT_RESULT,
        'UNRESOLVED',
        `not reported: ${who} wrote no report of this cell (the job failed, was cancelled, or its file was not merged)`,
      ),
    ],
    matrix: cell,
  };
}

/** The missing cells as one stderr paragraph, grouped by the shard that should have run them. */
export function describeMissing(missing: readonly MatrixCell[]): string {
  if (!missing.length) return '';
  const groups = new Map<string, MatrixCell[]>();
  for (const c of missing) {
    const key = c.shard ? `shard ${c.shard}` : 'no shard';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const lines = [...groups].map(
    ([who, cs]) => `  ${who}: ${cs.map((c) => `cell ${c.index} (${cellName(c)})`).join(', ')}`,
  );
  return (
    `${missing.length} of ${missing[0]!.cells} cells missing (UNRESOLVED in the merge, exit 1):\n` +
    `${lines.join('\n')}\n`
  );
}
