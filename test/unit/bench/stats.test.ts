// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { compare, pool, prng, rate, ratioInterval, type BenchRun } from '../../../src/bench/stats.js';

const run = (ops: number, seconds: number, extra: Partial<BenchRun> = {}): BenchRun => ({
  ops,
  elapsedNs: seconds * 1e9,
  ...extra,
});

describe('pool', () => {
  it('weighs every second alike: total ops over total time, not the mean of rates', () => {
    const p = pool([run(100, 1), run(900, 9)]);
    expect(rate(p, 'ops')).toBe(100);
  });

  it('keeps a field only when every run has it, and the largest RSS', () => {
    const p = pool([run(1, 1, { cycles: 2, maxRssKb: 10 }), run(1, 1, { maxRssKb: 30 })]);
    expect(p.cycles).toBeUndefined();
    expect(p.maxRssKb).toBe(30);
    expect(() => rate(p, 'cycles')).toThrow(/no cycles/);
    expect(() => pool([])).toThrow(/no runs/);
  });
});

describe('ratioInterval', () => {
  it('needs two runs a side', () => {
    expect(ratioInterval([run(1, 1)], [run(1, 1), run(1, 1)], 'ops')).toBeUndefined();
  });

  it('is a point for identical runs and brackets the ratio for noisy ones', () => {
    expect(ratioInterval([run(10, 1), run(10, 1)], [run(5, 1), run(5, 1)], 'ops')).toEqual([2, 2]);
    const r = prng(7);
    const noisy = (scale: number) => Array.from({ length: 12 }, () => run(scale * (0.5 + r()), 1));
    const ci = ratioInterval(noisy(100), noisy(100), 'ops') as [number, number];
    expect(ci[0]).toBeLessThan(1);
    expect(ci[1]).toBeGreaterThan(1);
    expect(ci[1] - ci[0]).toBeLessThan(0.6);
  });

  it('is reproducible', () => {
    const a = [run(90, 1), run(120, 1), run(70, 1)];
    const b = [run(100, 1), run(80, 1), run(110, 1)];
    expect(ratioInterval(a, b, 'ops')).toEqual(ratioInterval(a, b, 'ops'));
  });
});

describe('compare', () => {
  const ref = [run(100, 1, { cycles: 10 }), run(100, 1, { cycles: 10 })];

  it('meets the target only when every rate does', () => {
    const ok = compare([run(95, 1, { cycles: 9.5 }), run(95, 1, { cycles: 9.5 })], ref, 0.9);
    expect(ok.map((v) => [v.key, v.met])).toEqual([
      ['ops', true],
      ['cycles', true],
    ]);
    // Planted: fast ops but too few create/remove cycles must fail.
    const slowCycles = compare([run(120, 1, { cycles: 8 }), run(120, 1, { cycles: 8 })], ref, 0.9);
    expect(slowCycles.find((v) => v.key === 'cycles')?.met).toBe(false);
    expect(slowCycles.find((v) => v.key === 'ops')?.met).toBe(true);
  });

  it('fails a ratio just under the target', () => {
    const [v] = compare([run(89, 1), run(89, 1)], [run(100, 1), run(100, 1)], 0.9);
    expect(v?.met).toBe(false);
    expect(v?.ratio).toBeCloseTo(0.89);
  });

  it('says when the runs are too few to tell', () => {
    const clear = compare([run(200, 1), run(210, 1)], [run(100, 1), run(100, 1)], 0.9);
    expect(clear[0]?.decided).toBe(true);
    const wide = compare([run(40, 1), run(160, 1)], [run(100, 1), run(100, 1)], 0.9);
    expect(wide[0]?.met).toBe(true);
    expect(wide[0]?.decided).toBe(false);
  });

  it('compares ops only when a side has no cycles (failing-open)', () => {
    expect(compare([run(250, 1)], [run(100, 1)], 2).map((v) => v.key)).toEqual(['ops']);
  });
});
