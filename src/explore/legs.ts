// SPDX-License-Identifier: GPL-2.0-only
// A long explore run in a multi-threaded TCG guest meets vm's one emulator
// artifact (an `Oops: int3` from a stale translation of code the kernel just
// patched) every few hundred programs on some kernels: an hour in one guest
// would end after minutes. So the host runs the budget in legs: after such a
// death a fresh guest explores what is left of the time and programs, with a
// seed derived from the run's (each leg's seed is printed, so a leg repeats).
// Each leg's numbers restart at 0 in its guest; here they become the run's.
import type { ExplorePlan } from './options.js';
import type { ExploreStats, Finding } from './stream.js';

/** Fresh guests a run may take after emulator deaths before it gives up (ERROR, as before). */
export const MAX_RESTARTS = 8;
/** Less exploring time than this left: not worth a boot. */
export const MIN_LEG_MS = 10_000;

/** What a finished leg used: programs started and exploring time, from its last records. */
export interface LegUse {
  seed: number;
  programs: number;
  ms: number;
  stats?: ExploreStats;
}

/** Leg k's seed: the run's for the first, then a fixed odd step (golden ratio) so legs don't repeat each other. */
export function legSeed(seed: number, k: number): number {
  return k === 0 ? seed : (seed + Math.imul(k, 0x9e3779b9)) >>> 0;
}

/** How much a leg used: a guest that died mid-program reports only its last progress, the program record is later. */
export function legUse(
  seed: number,
  stats: ExploreStats | undefined,
  last: { n: number; ms: number } | undefined,
): LegUse {
  return {
    seed,
    programs: Math.max(stats?.programs ?? 0, last ? last.n + 1 : 0),
    ms: Math.max(stats?.elapsedMs ?? 0, last?.ms ?? 0),
    ...(stats ? { stats } : {}),
  };
}

/** The plan of the next leg after `done`, or undefined when the run's budget (or its restarts) is spent. */
export function nextLeg(plan: ExplorePlan, done: readonly LegUse[]): ExplorePlan | undefined {
  if (done.length > MAX_RESTARTS) return undefined;
  const ms = plan.durationMs - done.reduce((a, l) => a + l.ms, 0);
  if (ms < MIN_LEG_MS) return undefined;
  let maxPrograms: number | undefined;
  if (plan.maxPrograms !== undefined) {
    maxPrograms = plan.maxPrograms - done.reduce((a, l) => a + l.programs, 0);
    if (maxPrograms < 1) return undefined;
  }
  const { maxPrograms: _, ...rest } = plan;
  return {
    ...rest,
    seed: legSeed(plan.seed, done.length),
    durationMs: Math.ceil(ms),
    ...(maxPrograms !== undefined ? { maxPrograms } : {}),
  };
}

/** A leg's finding in the run's numbers: program index and exploring time after the legs before it. */
export function shiftFinding(f: Finding, before: readonly LegUse[]): Finding {
  const n = before.reduce((a, l) => a + l.programs, 0);
  const ms = before.reduce((a, l) => a + l.ms, 0);
  return n === 0 && ms === 0 ? f : { ...f, n: f.n + n, ms: f.ms + ms };
}

/**
 * The run's stats over its legs: counts add up (programs and time as each leg
 * used them: a dead guest's last progress is older); corpus and edges are per
 * guest (a fresh guest starts with an empty corpus), so the largest is kept.
 */
export function sumStats(legs: readonly LegUse[]): ExploreStats | undefined {
  const stats = legs.flatMap((l) => (l.stats ? [l.stats] : []));
  if (!stats.length) return undefined;
  const add = (k: keyof ExploreStats) => stats.reduce((a, s) => a + (s[k] as number), 0);
  const elapsedMs = legs.reduce((a, l) => a + l.ms, 0);
  const programs = legs.reduce((a, l) => a + l.programs, 0);
  const lastError = [...stats].reverse().find((s) => s.lastTraceError !== undefined)?.lastTraceError;
  return {
    guided: stats.some((s) => s.guided),
    programs,
    generated: add('generated'),
    mutated: add('mutated'),
    elapsedMs,
    programsPerSec: elapsedMs > 0 ? programs / (elapsedMs / 1000) : 0,
    violating: add('violating'),
    violations: add('violations'),
    corpus: Math.max(...stats.map((s) => s.corpus)),
    edges: Math.max(...stats.map((s) => s.edges)),
    newEdges: stats.at(-1)!.newEdges,
    traceErrors: add('traceErrors'),
    ...(lastError !== undefined ? { lastTraceError: lastError } : {}),
    fullBuffers: add('fullBuffers'),
  };
}
