// SPDX-License-Identifier: GPL-2.0-only
// The release bisect's search on planted sequences: fake releases whose
// verdict a function plants (a fix, a regression, a flaky bad caught only
// sometimes, all bad, all good, a change at either end, untestable ones).
import { describe, expect, it } from 'vitest';
import { bootStep, confidence, searchReleases, type Boot, type SearchIo } from '../../../../src/kernel/bisect/search.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);

/** A boot function from a planted verdict per release (a function of the boot number for flaky ones); records the boots. */
function planted(verdict: (i: number, boot: number) => Boot['verdict']) {
  const booted: string[] = [];
  const io: SearchIo = {
    boot: async (i, b) => {
      booted.push(`r${i}#${b}`);
      const v = verdict(i, b);
      return { verdict: v, seconds: 10, why: v, ...(v === 'bad' ? { failing: 'race-getdents[uprobe] FAIL' } : {}) };
    },
  };
  return { io, booted };
}

describe('searchReleases', () => {
  it('finds a fix (bad before index k, good from k) for every k, in about log2(n) steps', async () => {
    for (const n of [2, 3, 8, 36]) {
      for (let k = 1; k < n; k++) {
        const { io } = planted((i) => (i < k ? 'bad' : 'good'));
        const out = await searchReleases(names(n), 2, io);
        expect(out.result).toEqual({ kind: 'change', before: k - 1, after: k, from: 'bad', to: 'good', skipped: [] });
        expect(out.steps.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(n)));
      }
    }
  });

  it('finds a regression (good before k, bad from k), including a change at either end', async () => {
    for (const k of [1, 5, 9]) {
      const { io } = planted((i) => (i < k ? 'good' : 'bad'));
      const out = await searchReleases(names(10), 3, io);
      expect(out.result).toMatchObject({ kind: 'change', before: k - 1, after: k, from: 'good', to: 'bad' });
    }
  });

  it('all bad and all good: no change of verdict, only the two ends booted', async () => {
    for (const v of ['bad', 'good'] as const) {
      const { io, booted } = planted(() => v);
      const out = await searchReleases(names(4), 2, io);
      expect(out.result).toEqual({ kind: 'none', verdict: v });
      expect(out.steps.map((s) => s.index)).toEqual([0, 3]);
      expect(booted).toEqual(['r0#0', 'r0#1', 'r3#0', 'r3#1']);
    }
  });

  it('a step is bad on its first failing boot and good only after N clean ones; the ends boot all N', async () => {
    // r0..r4 bad, caught on the second boot only (a flaky race); r5.. good.
    const { io, booted } = planted((i, b) => (i < 5 && b === 1 ? 'bad' : 'good'));
    const out = await searchReleases(names(8), 3, io);
    expect(out.result).toMatchObject({ kind: 'change', before: 4, after: 5 });
    // The bad end boots all 3 (catch rate), a bad search step stops after its failing boot.
    expect(booted.filter((b) => b.startsWith('r0#'))).toEqual(['r0#0', 'r0#1', 'r0#2']);
    const r3 = out.steps.find((s) => s.index === 3)!;
    expect(r3.boots.map((b) => b.verdict)).toEqual(['good', 'bad']);
    expect(r3.verdict).toBe('bad');
    const r5 = out.steps.find((s) => s.index === 5)!;
    expect(r5.boots.map((b) => b.verdict)).toEqual(['good', 'good', 'good']);
    expect(confidence(out.steps, 3)).toMatchObject({ caught: 1, boots: 3, goodSteps: 2 });
  });

  it('a flaky bad missed by every boot of a step moves the answer, and the confidence says how likely that was', async () => {
    // r0..r5 bad but caught only on boot 0 of r0 (the end) and never at r3: the search is misled to 2|3.
    const { io } = planted((i, b) => (i === 0 && b === 0 ? 'bad' : i < 6 && i !== 3 && b === 0 ? 'bad' : 'good'));
    const out = await searchReleases(names(8), 2, io);
    expect(out.result).toMatchObject({ kind: 'change', before: 2, after: 3 });
    const c = confidence(out.steps, 2);
    expect(c.p).toBe(0.5);
    expect(c.missPerStep).toBe(0.25);
  });

  it('steps past an untestable release (skip) to its neighbours, and says when only untestable ones are left', async () => {
    const { io } = planted((i) => (i === 4 ? 'skip' : i < 6 ? 'bad' : 'good'));
    const out = await searchReleases(names(10), 1, io);
    expect(out.result).toEqual({ kind: 'change', before: 5, after: 6, from: 'bad', to: 'good', skipped: [4] });
    // With 4 and 5 untestable the first good could be 4, 5 or 6: undecided, not a guess.
    const { io: both } = planted((i) => (i === 4 || i === 5 ? 'skip' : i < 6 ? 'bad' : 'good'));
    expect((await searchReleases(names(10), 1, both)).result).toMatchObject({ kind: 'undecided', before: 3, after: 6, skipped: [4, 5] });
    const { io: io2 } = planted((i) => (i === 0 ? 'bad' : i === 3 ? 'good' : 'skip'));
    const u = await searchReleases(names(4), 1, io2);
    expect(u.result).toMatchObject({ kind: 'undecided', before: 0, after: 3, skipped: [1, 2] });
  });

  it('an end that cannot be tested leaves it undecided without booting further', async () => {
    const { io, booted } = planted((i) => (i === 0 ? 'skip' : 'bad'));
    const out = await searchReleases(names(5), 2, io);
    expect(out.result).toMatchObject({ kind: 'undecided', skipped: [0] });
    expect(booted).toEqual(['r0#0']);
  });

  it('stops at a signal: no further boot, the step cut short is marked interrupted', async () => {
    let stop = false;
    const booted: string[] = [];
    const io: SearchIo = {
      boot: async (i, b) => {
        booted.push(`r${i}#${b}`);
        if (i === 5) stop = true; // the signal arrives during this boot
        return { verdict: i < 3 ? 'bad' : 'good', seconds: 1, why: '' };
      },
      stopped: () => stop,
    };
    const out = await searchReleases(names(6), 2, io);
    expect(out.result).toEqual({ kind: 'stopped' });
    expect(booted).toEqual(['r0#0', 'r0#1', 'r5#0']);
    expect(out.steps.at(-1)).toMatchObject({ index: 5, interrupted: true, verdict: 'skip' });
  });

  it('bootStep: a skip boot ends the step as skip', async () => {
    const { io, booted } = planted((_i, b) => (b === 0 ? 'good' : 'skip'));
    const s = await bootStep(names(2), 1, 3, 'search', io);
    expect(s.verdict).toBe('skip');
    expect(booted).toEqual(['r1#0', 'r1#1']);
  });
});

describe('confidence', () => {
  it('(1-p)^N from the catch rate at the bad end; nothing measured without a bad end', async () => {
    const { io } = planted((i, b) => (i < 2 && b < 3 ? 'bad' : 'good'));
    const out = await searchReleases(names(4), 4, io);
    const c = confidence(out.steps, 4);
    expect(c).toMatchObject({ caught: 3, boots: 4, p: 0.75 });
    expect(c.missPerStep).toBeCloseTo(0.25 ** 4);
    expect(c.noMiss).toBeCloseTo((1 - 0.25 ** 4) ** c.goodSteps);
    const { io: good } = planted(() => 'good');
    const none = confidence((await searchReleases(names(3), 2, good)).steps, 2);
    expect(none.p).toBeUndefined();
  });
});
