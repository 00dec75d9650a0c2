// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { parseBoots, parseShard, planCells, planId, shardCells } from '../../../../src/vm/matrix/cells.js';
import { UsageError } from '../../../../src/errors.js';

describe('vm cells: kernels x boots, sharded', () => {
  it('--boots takes 1..100 and refuses anything else with the fix', () => {
    expect(parseBoots(undefined)).toBe(1);
    expect(parseBoots('3')).toBe(3);
    for (const bad of ['0', '101', '-1', '2.5', 'x', '', '1e2'])
      expect(() => parseBoots(bad)).toThrow(/--boots .*whole number from 1 to 100/);
    expect(() => parseBoots('0')).toThrow(UsageError);
  });

  it('--shard takes i/n with 1 <= i <= n', () => {
    expect(parseShard(undefined)).toBeUndefined();
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/2', '3/2', '1/0', '1', '1/', '/2', 'a/b', '1/2/3', ' 1/2', '1/1001'])
      expect(() => parseShard(bad)).toThrow(/--shard .*i\/n/);
  });

  it("numbers cells kernel-major, a kernel's boots side by side", () => {
    const cells = planCells(['a', 'b'], 3, 'p');
    expect(cells.map((c) => `${c.index}:${c.kernel}#${c.boot}`)).toEqual([
      '0:a#1',
      '1:a#2',
      '2:a#3',
      '3:b#1',
      '4:b#2',
      '5:b#3',
    ]);
    expect(cells.every((c) => c.cells === 6 && c.boots === 3 && c.plan === 'p')).toBe(true);
  });

  it('every cell is in exactly one shard, shards are contiguous and within one of each other in size', () => {
    for (let kernels = 1; kernels <= 9; kernels++)
      for (let boots = 1; boots <= 4; boots++)
        for (let n = 1; n <= 12; n++) {
          const all = planCells(
            Array.from({ length: kernels }, (_, i) => `k${i}`),
            boots,
            'p',
          );
          const parts = Array.from({ length: n }, (_, i) => shardCells(all, { index: i + 1, count: n }));
          expect(parts.flat().map((c) => c.index)).toEqual(all.map((c) => c.index));
          const sizes = parts.map((p) => p.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          for (const [i, p] of parts.entries()) for (const c of p) expect(c.shard).toBe(`${i + 1}/${n}`);
        }
  });

  it('no shard: every cell, unlabelled', () => {
    const all = planCells(['a'], 2, 'p');
    expect(shardCells(all, undefined)).toEqual(all);
  });

  it('the plan id changes with the kernels, their order, the boots and the guest arguments', () => {
    const base = planId(['a', 'b'], 2, ['-s', 'x']);
    expect(base).toMatch(/^[0-9a-f]{12}$/);
    expect(planId(['a', 'b'], 2, ['-s', 'x'])).toBe(base);
    for (const other of [
      planId(['b', 'a'], 2, ['-s', 'x']),
      planId(['a', 'b'], 3, ['-s', 'x']),
      planId(['a', 'b'], 2, ['-s', 'y']),
      planId(['a'], 2, ['-s', 'x']),
    ])
      expect(other).not.toBe(base);
  });
});
