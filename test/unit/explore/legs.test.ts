// SPDX-License-Identifier: GPL-2.0-only
// A run's budget over several guests (after emulator int3 deaths): what is
// left for the next guest, when to give up, and the run's numbers from the
// legs' own (each restarts at program 0).
import { describe, expect, it } from 'vitest';
import {
  legSeed,
  legUse,
  MAX_RESTARTS,
  MIN_LEG_MS,
  nextLeg,
  shiftFinding,
  sumStats,
  type LegUse,
} from '../../../src/explore/legs.js';
import type { ExplorePlan } from '../../../src/explore/options.js';
import type { ExploreStats, Finding } from '../../../src/explore/stream.js';
import { emptyStats } from '../../../src/explore/loop.js';

const plan: ExplorePlan = {
  where: { kernel: 'debian:latest', vmArgs: [] },
  seed: 7,
  durationMs: 3_600_000,
  keepGoing: true,
  out: '/o',
  verify: true,
  blind: false,
  stream: false,
};
const stats = (over: Partial<ExploreStats> = {}): ExploreStats => ({
  ...emptyStats(false),
  programs: 10,
  generated: 8,
  mutated: 2,
  elapsedMs: 20_000,
  programsPerSec: 0.5,
  ...over,
});
const use = (programs: number, ms: number, s?: ExploreStats): LegUse => ({
  seed: 1,
  programs,
  ms,
  ...(s ? { stats: s } : {}),
});

describe('legSeed', () => {
  it('the first leg keeps the run seed, later ones differ from it and from each other, in 32 bits', () => {
    expect(legSeed(7, 0)).toBe(7);
    const seeds = [1, 2, 3, 4].map((k) => legSeed(7, k));
    expect(new Set([7, ...seeds]).size).toBe(5);
    for (const s of [...seeds, legSeed(0xffff_ffff, 3)]) expect(s >>> 0).toBe(s);
  });
});

describe('legUse', () => {
  it('a dead guest: the program running counts, and the time it started if later than the last progress', () => {
    expect(legUse(5, stats({ programs: 10, elapsedMs: 20_000 }), { n: 12, ms: 26_000 })).toMatchObject({
      seed: 5,
      programs: 13,
      ms: 26_000,
    });
  });
  it('a guest that died before any record used nothing', () => {
    expect(legUse(5, undefined, undefined)).toEqual({ seed: 5, programs: 0, ms: 0 });
  });
});

describe('nextLeg', () => {
  it('the next guest explores what is left, with its own seed', () => {
    const p = nextLeg(plan, [use(250, 600_000)])!;
    expect(p).toMatchObject({ durationMs: 3_000_000, seed: legSeed(7, 1), keepGoing: true });
    expect(p.maxPrograms).toBeUndefined();
  });
  it('a program budget shrinks by what the guests before ran', () => {
    expect(nextLeg({ ...plan, maxPrograms: 100 }, [use(30, 1000), use(20, 1000)])?.maxPrograms).toBe(50);
    expect(nextLeg({ ...plan, maxPrograms: 50 }, [use(30, 1000), use(20, 1000)])).toBeUndefined();
  });
  it('no guest for the last few seconds, and none after the restarts are spent', () => {
    expect(nextLeg(plan, [use(1, plan.durationMs - MIN_LEG_MS + 1)])).toBeUndefined();
    expect(nextLeg(plan, [use(1, plan.durationMs - MIN_LEG_MS)])).toBeDefined();
    const many = Array.from({ length: MAX_RESTARTS }, () => use(1, 1000));
    expect(nextLeg(plan, many)).toBeDefined();
    expect(nextLeg(plan, [...many, use(1, 1000)])).toBeUndefined();
  });
});

describe('shiftFinding', () => {
  const f: Finding = { kind: 'model', n: 3, ms: 500, what: 'w', violations: [], program: { actions: [] } };
  it('a later guest numbers its programs from 0: the run numbers them after the guests before', () => {
    expect(shiftFinding(f, [use(250, 600_000), use(10, 30_000)])).toMatchObject({ n: 263, ms: 630_500 });
    expect(shiftFinding(f, [])).toBe(f);
  });
});

describe('sumStats', () => {
  it('counts add up, corpus and edges are the largest of one guest, the rate is the whole run', () => {
    const s = sumStats([
      use(13, 26_000, stats({ corpus: 4, edges: 900, violations: 1, violating: 1 })),
      use(10, 20_000, stats({ corpus: 6, edges: 700, traceErrors: 2, lastTraceError: 'EBUSY' })),
    ])!;
    expect(s).toMatchObject({ programs: 23, elapsedMs: 46_000, generated: 16, mutated: 4, violations: 1 });
    expect(s).toMatchObject({ corpus: 6, edges: 900, traceErrors: 2, lastTraceError: 'EBUSY' });
    expect(s.programsPerSec).toBeCloseTo(0.5, 5);
  });
  it('legs without any record give no stats', () => {
    expect(sumStats([use(0, 0)])).toBeUndefined();
  });
});
