// SPDX-License-Identifier: GPL-2.0-only
// The soak's arithmetic (scripts/soak.mjs): is a long race run's process
// flat (open fds, RSS) once warmed up, and do its create/remove cycles hold
// up as threads grow? Pure: samples and rates in, verdicts out.
//
// The rules, stated once:
// - Each scenario is judged on its own segment of samples (a race's fds and
//   RSS differ by scenario: ~1,080 fds for race-reopen, ~3,100 for
//   race-stale-dirfd), the first WARMUP_FRACTION of the segment dropped.
// - Growth over the rest = Theil-Sen slope (median of pairwise slopes, so a
//   GC step or one odd sample does not decide) x the window's length.
// - fds are flat when that growth is at most max(FD_ABS, FD_REL x median fds);
//   RSS when it is at most max(RSS_ABS_KB, RSS_REL x median RSS).
// - The run's own tracefs fds (held dirfds and enable fds, ops in flight)
//   are judged apart when the engine reported its rings: never more than
//   heldFds + one in flight per worker + FD_ABS, at any sample. The rings
//   fill one slot per generation a worker sees, so at a few cycles/s they
//   are still filling after any fixed warm-up (CI 2026-12-02: 8 workers of
//   race-enable-write, +17.5 fds over the judged window, all of them ring
//   slots); a slope would call that a leak, the bound does not. The other
//   fds (Node's, the addon's, the journal) must be flat as above.
// - Fewer than MIN_SAMPLES samples after the warm-up: not judged, and that
//   fails (a soak that measured nothing must not read as flat).
// - Thread sweep: per scenario, cycles/s at the largest thread count must be
//   at least SWEEP_MIN_FRACTION of the best cycles/s of any thread count.

/** One sample of the child process. */
export interface SoakSample {
  /** Milliseconds since the soak started. */
  t: number;
  fds: number;
  rssKb: number;
  /** Of fds, those on the run's own tracefs objects (sampler.ts isRunFd); absent: not counted apart. */
  runFds?: number;
  /** The scenario variant running at that moment (from the run's journal), if any. */
  scenario?: string;
}

export interface SoakLimits {
  warmupFraction: number;
  minSamples: number;
  fdAbs: number;
  fdRel: number;
  rssAbsKb: number;
  rssRel: number;
}

export const SOAK_LIMITS: SoakLimits = {
  warmupFraction: 0.2,
  minSamples: 4,
  fdAbs: 16,
  fdRel: 0.02,
  rssAbsKb: 4096,
  rssRel: 0.05,
};

/**
 * A collapse is an order of magnitude: the engine before its step-aside gate
 * made 0.04x (race-reopen) and 0.01x (race-stale-dirfd) of its 2-thread
 * cycles at 64 threads. The current engine measured 0.11-0.81x on the shared
 * 2-core host (2026-12-02), too noisy for a tighter line.
 */
export const SWEEP_MIN_FRACTION = 0.1;

export interface SeriesVerdict {
  median: number;
  /** Theil-Sen slope x window length (units of the series). */
  growth: number;
  limit: number;
  flat: boolean;
}

/** The run's tracefs fds against what its engine may hold. */
export interface HeldVerdict {
  /** Most run fds in any sample of the segment. */
  max: number;
  /** heldFds + threads + FD_ABS. */
  bound: number;
  ok: boolean;
}

/** What a race's engine reported holding (RaceStats heldFds, threads). */
export interface HeldRings {
  heldFds: number;
  threads: number;
}

export interface SegmentVerdict {
  scenario: string;
  /** Samples in the segment, and after the warm-up cut. */
  samples: number;
  judged: number;
  /** Length of the judged window, ms. */
  windowMs: number;
  /** Flatness of the process's fds: all of them, or without the run's tracefs fds when `held` judged those. */
  fds?: SeriesVerdict;
  held?: HeldVerdict;
  rss?: SeriesVerdict;
  ok: boolean;
  why: string;
}

/** Median of pairwise slopes (per ms); 0 for fewer than two distinct times. */
export function theilSen(ts: readonly number[], ys: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < ts.length; i++)
    for (let j = i + 1; j < ts.length; j++) {
      const dt = ts[j]! - ts[i]!;
      if (dt !== 0) slopes.push((ys[j]! - ys[i]!) / dt);
    }
  return medianOf(slopes);
}

function medianOf(xs: readonly number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Consecutive samples of the same scenario, in order; samples between scenarios are left out. */
export function segments(samples: readonly SoakSample[]): { scenario: string; samples: SoakSample[] }[] {
  const out: { scenario: string; samples: SoakSample[] }[] = [];
  for (const s of samples) {
    if (!s.scenario) continue;
    const last = out[out.length - 1];
    if (last && last.scenario === s.scenario) last.samples.push(s);
    else out.push({ scenario: s.scenario, samples: [s] });
  }
  return out;
}

function judgeSeries(ts: number[], ys: number[], abs: number, rel: number, windowMs: number): SeriesVerdict {
  const median = medianOf(ys);
  const growth = theilSen(ts, ys) * windowMs;
  const limit = Math.max(abs, rel * median);
  return { median, growth, limit, flat: growth <= limit };
}

/**
 * One scenario's segment: warm-up cut, then fds and RSS growth against their
 * limits; with `rings` (and samples that counted run fds), the run's tracefs
 * fds against the rings' bound instead of a slope.
 */
export function judgeSegment(
  scenario: string,
  seg: readonly SoakSample[],
  lim = SOAK_LIMITS,
  rings?: HeldRings,
): SegmentVerdict {
  const t0 = seg[0]?.t ?? 0;
  const t1 = seg[seg.length - 1]?.t ?? 0;
  const cut = t0 + (t1 - t0) * lim.warmupFraction;
  const kept = seg.filter((s) => s.t >= cut);
  const base = { scenario, samples: seg.length, judged: kept.length };
  if (kept.length < lim.minSamples) {
    return {
      ...base,
      windowMs: 0,
      ok: false,
      why: `only ${kept.length} samples after warm-up (need ${lim.minSamples})`,
    };
  }
  const ts = kept.map((s) => s.t);
  const windowMs = ts[ts.length - 1]! - ts[0]!;
  const apart = rings !== undefined && seg.every((s) => s.runFds !== undefined);
  const held = apart ? judgeHeld(seg, rings, lim) : undefined;
  const fds = judgeSeries(
    ts,
    kept.map((s) => s.fds - (apart ? s.runFds! : 0)),
    lim.fdAbs,
    lim.fdRel,
    windowMs,
  );
  const rss = judgeSeries(
    ts,
    kept.map((s) => s.rssKb),
    lim.rssAbsKb,
    lim.rssRel,
    windowMs,
  );
  const bad = [
    ...(fds.flat
      ? []
      : [`${apart ? "fds besides the run's tracefs fds" : 'fds'} grew ${fmt(fds.growth)} (limit ${fmt(fds.limit)})`]),
    ...(held && !held.ok
      ? [`the run's tracefs fds reached ${held.max}, more than its rings hold (bound ${held.bound})`]
      : []),
    ...(rss.flat ? [] : [`RSS grew ${fmt(rss.growth)} kB (limit ${fmt(rss.limit)} kB)`]),
  ];
  return {
    ...base,
    windowMs,
    fds,
    ...(held ? { held } : {}),
    rss,
    ok: bad.length === 0,
    why: bad.length ? bad.join('; ') : 'flat after warm-up',
  };
}

/** Every sample of the segment, warm-up included: the rings bound the run's fds from the first one. */
function judgeHeld(seg: readonly SoakSample[], rings: HeldRings, lim: SoakLimits): HeldVerdict {
  const max = Math.max(...seg.map((s) => s.runFds ?? 0));
  const bound = rings.heldFds + rings.threads + lim.fdAbs;
  return { max, bound, ok: max <= bound };
}

/** Every scenario segment judged (with its engine's rings where `rings` names it); no segment at all fails. */
export function judgeSoak(
  samples: readonly SoakSample[],
  lim = SOAK_LIMITS,
  rings: Readonly<Record<string, HeldRings>> = {},
): { ok: boolean; segments: SegmentVerdict[] } {
  const verdicts = segments(samples).map((s) => judgeSegment(s.scenario, s.samples, lim, rings[s.scenario]));
  return { ok: verdicts.length > 0 && verdicts.every((v) => v.ok), segments: verdicts };
}

export interface SweepPoint {
  scenario: string;
  threads: number;
  cyclesPerSec: number;
}

export interface SweepVerdict {
  scenario: string;
  /** Thread count -> cycles/s. */
  rates: Record<number, number>;
  bestThreads: number;
  best: number;
  maxThreads: number;
  atMax: number;
  /** atMax / best. */
  fraction: number;
  ok: boolean;
}

/** Per scenario: cycles/s at the largest thread count against the best of any count. */
export function judgeSweep(points: readonly SweepPoint[], minFraction = SWEEP_MIN_FRACTION): SweepVerdict[] {
  const by = new Map<string, SweepPoint[]>();
  for (const p of points) by.set(p.scenario, [...(by.get(p.scenario) ?? []), p]);
  return [...by].map(([scenario, ps]) => {
    const rates = Object.fromEntries(ps.map((p) => [p.threads, p.cyclesPerSec]));
    const best = ps.reduce((a, b) => (b.cyclesPerSec > a.cyclesPerSec ? b : a));
    const top = ps.reduce((a, b) => (b.threads > a.threads ? b : a));
    const fraction = best.cyclesPerSec > 0 ? top.cyclesPerSec / best.cyclesPerSec : 0;
    return {
      scenario,
      rates,
      bestThreads: best.threads,
      best: best.cyclesPerSec,
      maxThreads: top.threads,
      atMax: top.cyclesPerSec,
      fraction,
      ok: fraction >= minFraction,
    };
  });
}

/**
 * The sweep's outcome with known collapses: a scenario id listed in known
 * (e.g. race-enable-write, matching race-enable-write[uprobe]) that collapses
 * is reported but does not fail (xfail); one that holds up is xpass, so the
 * entry is noticed and removed. Like --expect's XFAIL/XPASS for kernel bugs.
 */
export function sweepOutcome(
  verdicts: readonly SweepVerdict[],
  known: readonly string[] = [],
): { ok: boolean; failed: string[]; xfail: string[]; xpass: string[] } {
  const isKnown = (name: string) => known.some((id) => name === id || name.startsWith(`${id}[`));
  const failed = verdicts.filter((v) => !v.ok && !isKnown(v.scenario)).map((v) => v.scenario);
  const xfail = verdicts.filter((v) => !v.ok && isKnown(v.scenario)).map((v) => v.scenario);
  const xpass = verdicts.filter((v) => v.ok && isKnown(v.scenario)).map((v) => v.scenario);
  return { ok: verdicts.length > 0 && failed.length === 0, failed, xfail, xpass };
}

/**
 * A sweep run again after a collapse: a scenario fails only when it collapsed
 * in both (one sweep point is a few seconds of racing and can land far off
 * its usual rate); one that held up the second time takes that verdict.
 */
export function confirmCollapse(first: readonly SweepVerdict[], again: readonly SweepVerdict[]): SweepVerdict[] {
  return first.map((v) => {
    const w = again.find((x) => x.scenario === v.scenario);
    return !v.ok && w?.ok ? w : v;
  });
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1);
}
