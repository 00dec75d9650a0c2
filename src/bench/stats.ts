// SPDX-License-Identifier: GPL-2.0-only
// The benchmark's arithmetic (scripts/bench.mjs): rates pooled over runs, a
// bootstrap interval for a ratio of two drivers, and the verdict against a
// target. Pooled, not median: race-enable's rate swings 20x within one run,
// so every second of every run counts alike.

/** One driver run as the bench child prints it. */
export interface BenchRun {
  ops: number;
  elapsedNs: number;
  cycles?: number;
  /** User + system time of the whole process. */
  cpuNs?: number;
  violations?: number;
  maxRssKb?: number;
}

export type RateKey = 'ops' | 'cycles';

/** Totals over runs; a field is present only when every run has it. */
export function pool(runs: readonly BenchRun[]): BenchRun {
  if (runs.length === 0) throw new Error('pool: no runs');
  const sum = (k: keyof BenchRun): number | undefined =>
    runs.every((r) => r[k] !== undefined) ? runs.reduce((n, r) => n + (r[k] as number), 0) : undefined;
  const maxRss = runs.every((r) => r.maxRssKb !== undefined)
    ? Math.max(...runs.map((r) => r.maxRssKb as number))
    : undefined;
  return {
    ops: sum('ops') as number,
    elapsedNs: sum('elapsedNs') as number,
    cycles: sum('cycles'),
    cpuNs: sum('cpuNs'),
    violations: sum('violations'),
    maxRssKb: maxRss,
  };
}

/** Events per second of a (pooled) run. */
export function rate(r: BenchRun, k: RateKey): number {
  const n = r[k];
  if (n === undefined) throw new Error(`rate: runs have no ${k}`);
  return n / (r.elapsedNs / 1e9);
}

/** Deterministic PRNG (mulberry32): the same runs give the same interval. */
export function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Bootstrap interval (default 90%) of pooled rate(a) / pooled rate(b),
 * resampling each driver's runs with replacement. Undefined with fewer
 * than two runs on either side: one run says nothing about its spread.
 */
export function ratioInterval(
  a: readonly BenchRun[],
  b: readonly BenchRun[],
  k: RateKey,
  level = 0.9,
  draws = 4000,
): [number, number] | undefined {
  if (a.length < 2 || b.length < 2) return undefined;
  const rnd = prng(12345);
  const resample = (l: readonly BenchRun[]) => pool(Array.from(l, () => l[Math.floor(rnd() * l.length)] as BenchRun));
  const xs: number[] = [];
  for (let i = 0; i < draws; i++) xs.push(rate(resample(a), k) / rate(resample(b), k));
  xs.sort((x, y) => x - y);
  const tail = (1 - level) / 2;
  return [xs[Math.floor(tail * draws)] as number, xs[Math.min(draws - 1, Math.floor((1 - tail) * draws))] as number];
}

export interface RatioVerdict {
  key: RateKey;
  ratio: number;
  interval?: [number, number];
  met: boolean;
  /** The interval lies wholly on one side of the target. */
  decided: boolean;
}

/**
 * a against b on every rate both have (ops, and cycles when present). A
 * target is met by the pooled ratio; the interval is printed beside it so a
 * reader sees when the runs were too few to tell.
 */
export function compare(a: readonly BenchRun[], b: readonly BenchRun[], target: number): RatioVerdict[] {
  const pa = pool(a);
  const pb = pool(b);
  const keys: RateKey[] = pa.cycles !== undefined && pb.cycles !== undefined ? ['ops', 'cycles'] : ['ops'];
  return keys.map((key) => {
    const ratio = rate(pa, key) / rate(pb, key);
    const interval = ratioInterval(a, b, key);
    const decided = !interval || interval[0] >= target || interval[1] < target;
    return { key, ratio, interval, met: ratio >= target, decided };
  });
}

/** The middle value (mean of the two middle ones for an even count); undefined for none. */
export function median(xs: readonly number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1]! + s[m]!) / 2;
}
