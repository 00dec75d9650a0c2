// SPDX-License-Identifier: GPL-2.0-only
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ddmin, isOneMinimal, type DdminResult } from '../../../src/repro/ddmin.js';

const BIG = { maxAttempts: 100_000, maxMs: 60_000 };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** The failure needs every item of `needed` (a monotone predicate over sets). */
const needs = (needed: number[]) => (c: number[]) => needed.every((x) => c.includes(x));

/** What the minimiser is held to: the result still fails, and no single item can go. */
async function checkMinimiser(
  min: (items: number[], test: (c: number[]) => boolean) => Promise<DdminResult<number>>,
  items: number[],
  test: (c: number[]) => boolean,
): Promise<string | undefined> {
  const r = await min(items, test);
  if (!test(r.kept)) return `result ${JSON.stringify(r.kept)} no longer fails`;
  if (!r.kept.every((x, i) => i === 0 || r.kept[i - 1]! < x)) return 'result is not a subsequence in order';
  if (!(await isOneMinimal(r.kept, test))) return `result ${JSON.stringify(r.kept)} is not 1-minimal`;
  return undefined;
}

const real = (items: number[], test: (c: number[]) => boolean) => ddmin(items, test, BIG);

describe('ddmin', () => {
  it('finds exactly the needed items of a monotone predicate (any needed set, any length)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 80 }).chain((n) => fc.tuple(fc.constant(n), fc.subarray(range(n), { minLength: 1 }))),
        async ([n, needed]) => {
          const r = await ddmin(range(n), needs(needed), BIG);
          expect(r.kept).toEqual(needed);
          expect(r.complete).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is 1-minimal for a non-monotone predicate (either {2,7} or {30})', async () => {
    const test = (c: number[]) => (c.includes(2) && c.includes(7)) || c.includes(30);
    expect(await checkMinimiser(real, range(40), test)).toBeUndefined();
  });

  it('keeps nothing when the failure needs no earlier step, and says when the whole input does not fail', async () => {
    expect((await ddmin(range(10), () => true, BIG)).kept).toEqual([]);
    const r = await ddmin(range(10), () => false, BIG);
    expect(r).toMatchObject({ unreproducible: true, complete: false, attempts: 1 });
    expect(r.kept).toEqual(range(10));
  });

  it('stops at its attempt budget and at its time budget, keeping a still-failing superset', async () => {
    let tests = 0;
    const test = (c: number[]) => (tests++, needs([5, 50, 90])(c));
    const r = await ddmin(range(100), test, { maxAttempts: 7, maxMs: 60_000 });
    expect(r.attempts).toBe(7);
    expect(tests).toBe(7);
    expect(r.complete).toBe(false);
    expect(test(r.kept)).toBe(true);
    let now = 0;
    const timed = await ddmin(range(100), (c) => ((now += 10), needs([5])(c)), {
      maxAttempts: 1000,
      maxMs: 25,
      now: () => now,
    });
    expect(timed.complete).toBe(false);
    expect(timed.attempts).toBeLessThanOrEqual(4);
  });

  it("ends on the test's 'stop' (an oops) without testing again", async () => {
    let tests = 0;
    const r = await ddmin(range(20), (c) => (++tests === 3 ? 'stop' : needs([1])(c)), BIG);
    expect(tests).toBe(3);
    expect(r.complete).toBe(false);
  });

  it('the checker catches planted wrong minimisers', async () => {
    const test = needs([3, 11]);
    // Returns its input: fails still, but not minimal.
    const lazy = async (items: number[]) => ({ kept: items, attempts: 0, complete: true });
    // Drops the second half without testing: loses item 11.
    const half = async (items: number[]) => ({ kept: items.slice(0, items.length / 2), attempts: 0, complete: true });
    // Greedy from the front, but stops after one pass of pairs: keeps a removable item.
    const sloppy = async (items: number[], t: (c: number[]) => boolean) => {
      let kept = items;
      for (let i = 0; i + 1 < kept.length; i += 2) {
        const c = kept.filter((_, j) => j !== i && j !== i + 1);
        if (t(c)) kept = c;
      }
      return { kept, attempts: 0, complete: true };
    };
    expect(await checkMinimiser(lazy, range(16), test)).toMatch(/not 1-minimal/);
    expect(await checkMinimiser(half, range(16), test)).toMatch(/no longer fails/);
    expect(await checkMinimiser(sloppy, range(16), test)).toMatch(/not 1-minimal/);
    expect(await checkMinimiser(real, range(16), test)).toBeUndefined();
  });
});
