// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { seededRng, weighted } from '../../../src/explore/rng.js';

describe('seededRng (sfc32)', () => {
  it('is deterministic per seed and differs between nearby seeds', () => {
    const a = Array.from(
      { length: 8 },
      (
        (r) => () =>
          r.next()
      )(seededRng(1)),
    );
    const b = Array.from(
      { length: 8 },
      (
        (r) => () =>
          r.next()
      )(seededRng(1)),
    );
    const c = Array.from(
      { length: 8 },
      (
        (r) => () =>
          r.next()
      )(seededRng(2)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
  });

  it('int(n) stays in [0, n) and covers it about evenly', () => {
    const r = seededRng(42);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('chance(p) is true about p of the time; pick and weighted choose from what they are given', () => {
    const r = seededRng(7);
    let t = 0;
    for (let i = 0; i < 20_000; i++) if (r.chance(0.25)) t++;
    expect(Math.abs(t - 5000)).toBeLessThan(300);
    expect(['a', 'b']).toContain(r.pick(['a', 'b']));
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(weighted(r, { x: 1, y: 3, z: 0 }));
    expect([...seen].sort()).toEqual(['x', 'y']);
  });

  it('refuses what it cannot do', () => {
    const r = seededRng(1);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.pick([])).toThrow(RangeError);
    expect(() => weighted(r, { a: 0 })).toThrow(RangeError);
  });
});
