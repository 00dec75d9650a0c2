// SPDX-License-Identifier: GPL-2.0-only
// Binary search for the first change of verdict over a sorted list of
// releases (`kernel bisect --releases`): pure, with the boot injected, so the
// whole search is unit-tested on planted sequences. A step boots one release
// up to N times: bad on the first failing boot, good only after N clean ones
// (a race may be missed by a boot, never invented by one). The two ends boot
// all N times, so the bad end also measures the per-boot catch rate that
// says how far a "good" can be trusted.

export type Verdict = 'good' | 'bad' | 'skip';

/** One boot of one release. */
export interface Boot {
  verdict: Verdict;
  seconds: number;
  /** One line: the failing result, or what kept the boot from testing the release. */
  why: string;
  /** The first result that failed (`race-getdents[uprobe] FAIL: ...`), when one did. */
  failing?: string;
  /** The first kernel failure line of the guest console (`BUG: kernel NULL pointer dereference ...`). */
  console?: string;
  /** Where the boot's report and logs are. */
  logs?: string;
}

export interface Step {
  /** The release's index in the sorted list. */
  index: number;
  release: string;
  /** end: one of the two ends (all N boots); search: a binary-search step (stops at the first bad boot). */
  role: 'end' | 'search';
  boots: Boot[];
  verdict: Verdict;
  seconds: number;
  /** A signal stopped the step before its verdict was in. */
  interrupted?: boolean;
}

export type SearchResult =
  /** The verdict changes between releases[before] and releases[after] (adjacent among the tested ones). */
  | { kind: 'change'; before: number; after: number; from: 'good' | 'bad'; to: 'good' | 'bad'; skipped: number[] }
  /** Both ends have the same verdict: no change of verdict in range (what lies between was not booted). */
  | { kind: 'none'; verdict: 'good' | 'bad' }
  /** A change lies between before and after, but every release between could not be tested (or an end could not). */
  | { kind: 'undecided'; before?: number; after?: number; why: string; skipped: number[] }
  | { kind: 'stopped' };

export interface SearchOutcome {
  result: SearchResult;
  steps: Step[];
}

export interface SearchIo {
  /** Boots releases[index] once (boot: 0-based boot number of this step). */
  boot: (index: number, boot: number) => Promise<Boot>;
  /** True once a signal asked to stop: no further boot starts. */
  stopped?: () => boolean;
  /** Called after each step (progress). */
  onStep?: (s: Step) => void;
}

/** Boots one release: up to n boots; `all` keeps booting after a bad one (the ends, to measure the catch rate). */
export async function bootStep(
  releases: readonly string[],
  index: number,
  n: number,
  role: Step['role'],
  io: SearchIo,
): Promise<Step> {
  const boots: Boot[] = [];
  let interrupted = false;
  for (let i = 0; i < n; i++) {
    if (io.stopped?.()) {
      interrupted = true;
      break;
    }
    const b = await io.boot(index, i);
    // A boot cut short by the signal says nothing about the release.
    if (io.stopped?.()) {
      interrupted = true;
      boots.push({ ...b, verdict: 'skip', why: `stopped by a signal: ${b.why}` });
      break;
    }
    boots.push(b);
    if (b.verdict === 'skip') break;
    if (b.verdict === 'bad' && role === 'search') break;
  }
  const verdict: Verdict = boots.some((b) => b.verdict === 'bad')
    ? 'bad'
    : boots.length === n && boots.every((b) => b.verdict === 'good')
      ? 'good'
      : 'skip';
  const seconds = boots.reduce((s, b) => s + b.seconds, 0);
  return {
    index,
    release: releases[index]!,
    role,
    boots,
    verdict,
    seconds,
    ...(interrupted && verdict !== 'bad' ? { interrupted } : {}),
  };
}

/** The untested indices strictly between lo and hi, nearest the middle first (git bisect's way past a skip). */
function candidates(lo: number, hi: number, skipped: ReadonlySet<number>): number[] {
  const mid = Math.floor((lo + hi) / 2);
  const out: number[] = [];
  for (let i = lo + 1; i < hi; i++) if (!skipped.has(i)) out.push(i);
  return out.sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid) || a - b);
}

/**
 * Both ends, then binary search between them for the first change of
 * verdict. Assumes one change (a verdict that flips back and forth inside
 * the range is found at one of its flips, like git bisect).
 */
export async function searchReleases(releases: readonly string[], n: number, io: SearchIo): Promise<SearchOutcome> {
  if (releases.length < 2) throw new Error('searchReleases needs two releases at least');
  if (!Number.isInteger(n) || n < 1) throw new Error(`boots per step must be a whole number >= 1, not ${n}`);
  const steps: Step[] = [];
  const step = async (i: number, role: Step['role']) => {
    const s = await bootStep(releases, i, n, role, io);
    steps.push(s);
    io.onStep?.(s);
    return s;
  };
  let lo = 0;
  let hi = releases.length - 1;
  const oldest = await step(lo, 'end');
  if (oldest.interrupted) return { result: { kind: 'stopped' }, steps };
  if (oldest.verdict === 'skip')
    return { result: { kind: 'undecided', why: `the oldest end ${releases[lo]} could not be tested: ${whySkipped(oldest)}`, skipped: [lo] }, steps };
  const newest = await step(hi, 'end');
  if (newest.interrupted) return { result: { kind: 'stopped' }, steps };
  if (newest.verdict === 'skip')
    return { result: { kind: 'undecided', why: `the newest end ${releases[hi]} could not be tested: ${whySkipped(newest)}`, skipped: [hi] }, steps };
  if (oldest.verdict === newest.verdict) return { result: { kind: 'none', verdict: oldest.verdict }, steps };

  const from = oldest.verdict;
  const to = newest.verdict;
  const skipped = new Set<number>();
  while (hi - lo > 1) {
    const next = candidates(lo, hi, skipped)[0];
    if (next === undefined) {
      const list = [...skipped].sort((a, b) => a - b);
      return {
        result: {
          kind: 'undecided',
          before: lo,
          after: hi,
          why: `the change lies between ${releases[lo]} and ${releases[hi]}, but none of the ${list.length} release(s) between could be tested`,
          skipped: list,
        },
        steps,
      };
    }
    const s = await step(next, 'search');
    if (s.interrupted) return { result: { kind: 'stopped' }, steps };
    if (s.verdict === 'skip') skipped.add(next);
    else if (s.verdict === from) lo = next;
    else hi = next;
  }
  return {
    result: { kind: 'change', before: lo, after: hi, from, to, skipped: [...skipped].sort((a, b) => a - b) },
    steps,
  };
}

function whySkipped(s: Step): string {
  return s.boots.find((b) => b.verdict === 'skip')?.why ?? 'no boot';
}

export interface Confidence {
  /** Boots at the bad end(s) and how many of them failed. */
  caught: number;
  boots: number;
  /** The measured per-boot catch rate k/N, when a bad end was booted. */
  p?: number;
  /** (1-p)^N: the chance that a bad release passes all N boots of a step. */
  missPerStep?: number;
  /** The releases judged good: each is a chance to have missed a bad one. */
  goodSteps: number;
  /** (1 - missPerStep)^goodSteps: the chance that no good verdict was a missed bad one (worst case: every one was bad). */
  noMiss?: number;
}

/** How far the "good" verdicts can be trusted, from the catch rate at the bad end(s). */
export function confidence(steps: readonly Step[], n: number): Confidence {
  const badEnds = steps.filter((s) => s.role === 'end' && s.verdict === 'bad');
  const boots = badEnds.reduce((k, s) => k + s.boots.length, 0);
  const caught = badEnds.reduce((k, s) => k + s.boots.filter((b) => b.verdict === 'bad').length, 0);
  const goodSteps = steps.filter((s) => s.verdict === 'good').length;
  if (!boots) return { caught, boots, goodSteps };
  const p = caught / boots;
  const missPerStep = (1 - p) ** n;
  return { caught, boots, p, missPerStep, goodSteps, noMiss: (1 - missPerStep) ** goodSteps };
}
