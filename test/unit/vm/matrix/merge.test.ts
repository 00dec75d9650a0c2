// SPDX-License-Identifier: GPL-2.0-only
// report merge's logic on planted shards: any order gives the plan's order,
// a missing shard becomes UNRESOLVED cells (never a pass), and what cannot
// be one plan's shards (another plan, a plain run, a cell twice) is refused.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/errors.js';
import { exitCodeForAll } from '../../../../src/report/exit-code.js';
import type { RunReport } from '../../../../src/report/types.js';
import { planCells, planId, shardCells, shardOf, type MatrixCell } from '../../../../src/vm/matrix/cells.js';
import { describeMissing, mergeShards, type MergeInput } from '../../../../src/vm/matrix/merge.js';
import { fail, pass, report } from '../../report/fixtures.js';

const KERNELS = ['6.12.118+deb13-amd64', '7.3.4+deb13-amd64'];

/** The plan's cells as boots that reported: kernel 7.3.4's boots fail, the others pass. */
function plan(kernels = KERNELS, boots = 2, args = ['-s', 'x']): RunReport[] {
  const id = planId(kernels, boots, args);
  return planCells(kernels, boots, id).map((cell) => bootOf(cell));
}
const bootOf = (cell: MatrixCell): RunReport =>
  report([cell.kernel.startsWith('7.') ? fail : pass], {
    env: {
      kernel: { release: cell.kernel, version: '', machine: 'x86_64' },
      tracefs: '/t',
      features: [],
      hostname: 'h',
    },
    matrix: cell,
  });

/** Shard i/n of the runs, as that job's file. */
function shard(runs: RunReport[], i: number, n: number): MergeInput {
  const cells = shardCells(
    runs.map((r) => r.matrix!),
    { index: i, count: n },
  );
  return { file: `shard-${i}.json`, runs: cells.map((c) => ({ ...runs[c.index]!, matrix: c })) };
}

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('not refused');
};

const verdicts = (runs: RunReport[]) =>
  runs.map((r) => ({
    index: r.matrix!.index,
    kernel: r.matrix!.kernel,
    boot: r.matrix!.boot,
    results: r.results.map((x) => `${x.name} ${x.status}`),
  }));

describe('mergeShards', () => {
  it('two shards in either order give the unsharded verdicts, in the plan order', () => {
    const all = plan();
    for (const inputs of [
      [shard(all, 1, 2), shard(all, 2, 2)],
      [shard(all, 2, 2), shard(all, 1, 2)],
    ]) {
      const m = mergeShards(inputs);
      expect(m.missing).toEqual([]);
      expect(m.notes).toEqual([]);
      expect(verdicts(m.runs)).toEqual(verdicts(all));
      expect(exitCodeForAll(m.runs)).toBe(exitCodeForAll(all));
    }
  });

  it('any split of 5 kernels x 3 boots into 1..16 shards merges back to the whole (empty shards included)', () => {
    const all = plan(['a', 'b', 'c', 'd', 'e'], 3);
    for (let n = 1; n <= 16; n++) {
      const inputs = Array.from({ length: n }, (_, i) => shard(all, i + 1, n)).reverse();
      if (n > 15) expect(inputs.some((x) => x.runs.length === 0)).toBe(true);
      expect(verdicts(mergeShards(inputs).runs), `${n} shards`).toEqual(verdicts(all));
    }
  });

  it('a missing shard: each of its cells UNRESOLVED, named with its shard and kernel, and the merge fails', () => {
    const all = plan(KERNELS, 1).map((r) => ({ ...r, results: [pass] }));
    expect(exitCodeForAll(all)).toBe(0);
    const m = mergeShards([shard(all, 1, 2)]);
    expect(m.missing).toEqual([
      {
        index: 1,
        cells: 2,
        kernel: 'kernel #2 (unreported)',
        boot: 1,
        boots: 1,
        plan: all[0]!.matrix!.plan,
        shard: '2/2',
      },
    ]);
    expect(m.runs.map((r) => r.results.map((x) => `${x.name} ${x.status}`))).toEqual([
      ['removed-files-enoent[uprobe] PASS'],
      ['vm-boot UNRESOLVED'],
    ]);
    expect(m.runs[1]!.results[0]!.reason).toMatch(/^not reported: shard 2\/2 wrote no report of this cell/);
    expect(exitCodeForAll(m.runs)).toBe(1);
    expect(describeMissing(m.missing)).toBe(
      '1 of 2 cells missing (UNRESOLVED in the merge, exit 1):\n  shard 2/2: cell 1 (kernel #2 (unreported))\n',
    );
  });

  it('a missing boot of a kernel another boot reported is named by that kernel', () => {
    // 2 kernels x 2 boots in 3 shards: [6.12 b1], [6.12 b2], [7.3 b1, 7.3 b2].
    const all = plan(KERNELS, 2);
    const m = mergeShards([shard(all, 1, 3), shard(all, 3, 3)]);
    expect(m.missing.map((c) => `${c.index} ${c.kernel} ${c.boot}/${c.boots} ${c.shard}`)).toEqual([
      '1 6.12.118+deb13-amd64 2/2 2/3',
    ]);
    expect(describeMissing(m.missing)).toContain('shard 2/3: cell 1 (6.12.118+deb13-amd64 boot 2/2)');
  });

  it('refuses shards of different plans, naming both files and why', () => {
    const a = plan(KERNELS, 1);
    const b = plan(['6.12.117+deb13-amd64', '7.3.4+deb13-amd64'], 1);
    const why = refusal(() => mergeShards([shard(a, 1, 2), { ...shard(b, 2, 2), file: 'other.json' }]));
    expect(why).toMatch(/^shard-1\.json and other\.json are reports of different plans \(plan [0-9a-f]{12}: 2 cells/);
    expect(why).toMatch(/the archive changed between jobs/);
    // Other run arguments are another plan too, and so are other --boots.
    expect(refusal(() => mergeShards([shard(a, 1, 2), shard(plan(KERNELS, 1, ['-s', 'y']), 2, 2)]))).toMatch(
      /different plans/,
    );
    expect(refusal(() => mergeShards([shard(a, 1, 2), shard(plan(KERNELS, 2), 2, 2)]))).toMatch(/different plans/);
  });

  it('refuses a run without a matrix cell (run --format json, or an old vm)', () => {
    const plain = { file: 'run.json', runs: [report([pass])] };
    expect(refusal(() => mergeShards([shard(plan(), 1, 2), plain]))).toMatch(
      /^run\.json: run 1 \(6\.18\.44-fc-v782\) has no matrix cell: it was not written by vm/,
    );
  });

  it('a cell twice: identical is taken once with a note; different is refused naming both files', () => {
    const all = plan(KERNELS, 1);
    const one = shard(all, 1, 2);
    const m = mergeShards([one, { ...one, file: 'copy.json' }, shard(all, 2, 2)]);
    expect(verdicts(m.runs)).toEqual(verdicts(all));
    expect(m.notes).toEqual(['cell 0 (6.12.118+deb13-amd64) is in shard-1.json and copy.json, identical: taken once']);
    const rerun = { file: 'rerun.json', runs: [{ ...one.runs[0]!, results: [fail] }] };
    expect(refusal(() => mergeShards([one, rerun]))).toBe(
      'cell 0 (6.12.118+deb13-amd64) is in shard-1.json and in rerun.json with different results: ' +
        'two runs of one shard (a re-run job?); keep one of the two files',
    );
  });

  it('only empty shards: nothing to merge, refused; a cell outside its plan is refused', () => {
    expect(
      refusal(() =>
        mergeShards([
          { file: 'e1.json', runs: [] },
          { file: 'e2.json', runs: [] },
        ]),
      ),
    ).toMatch(/^nothing to merge: e1\.json, e2\.json hold no boot \(only empty shards\)/);
    const [r] = plan(KERNELS, 1);
    const bad = { ...r!, matrix: { ...r!.matrix!, index: 7 } };
    expect(refusal(() => mergeShards([{ file: 'x.json', runs: [r!, bad] }]))).toMatch(
      /^x\.json: cell 7 \(boot 1\/1\) lies outside its plan of 2 cells/,
    );
  });

  it('an unsharded file merges to itself; a missing cell of it says "no shard"', () => {
    const all = plan(KERNELS, 1);
    expect(verdicts(mergeShards([{ file: 'all.json', runs: all }]).runs)).toEqual(verdicts(all));
    const m = mergeShards([{ file: 'all.json', runs: all.slice(0, 1) }]);
    expect(m.missing[0]!.shard).toBeUndefined();
    expect(m.runs[1]!.results[0]!.reason).toMatch(/^not reported: no shard wrote/);
  });
});

describe('shardOf', () => {
  it('inverts shardCells: every cell of every split is in the shard shardOf names', () => {
    for (let cells = 1; cells <= 12; cells++)
      for (let n = 1; n <= 14; n++) {
        const all = planCells(
          Array.from({ length: cells }, (_, i) => `k${i}`),
          1,
          'p',
        );
        for (let i = 1; i <= n; i++)
          for (const c of shardCells(all, { index: i, count: n }))
            expect(shardOf(c.index, cells, n), `${c.index} of ${cells} in ${i}/${n}`).toBe(i);
      }
  });
});
