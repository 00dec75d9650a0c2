// SPDX-License-Identifier: GPL-2.0-only
// Delta debugging (Zeller and Hildebrandt, "Simplifying and isolating
// failure-inducing input", 2002): the smallest subsequence of steps, found by
// dropping chunks while the test still fails. Pure: the test is injected
// (replay.ts against the live kernel; a set predicate in the unit tests).

export interface Budget {
  /** Tests at most (the first, of the whole input, included). */
  maxAttempts: number;
  /** Stop starting new tests after this many milliseconds. */
  maxMs: number;
  now?: () => number;
}

export interface DdminResult<T> {
  kept: T[];
  attempts: number;
  /** 1-minimal: no single item can be dropped. False when the budget ran out first or the test gave up. */
  complete: boolean;
  /** The whole input did not pass the test: nothing was minimised. */
  unreproducible?: boolean;
}

/** The test: true when the subsequence still shows the failure; 'stop' ends minimisation (keeps what was found). */
export type DdTest<T> = (candidate: T[]) => boolean | 'stop' | Promise<boolean | 'stop'>;

function chunks<T>(items: T[], n: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + Math.floor((items.length - start) / (n - i));
    out.push(items.slice(start, end));
    start = end;
  }
  return out.filter((c) => c.length > 0);
}

export async function ddmin<T>(items: readonly T[], test: DdTest<T>, budget: Budget): Promise<DdminResult<T>> {
  const now = budget.now ?? Date.now;
  const t0 = now();
  let attempts = 0;
  let stopped = false;
  const tryIt = async (c: T[]): Promise<boolean | undefined> => {
    if (stopped || attempts >= budget.maxAttempts || now() - t0 > budget.maxMs) return undefined;
    attempts++;
    const r = await test(c);
    if (r === 'stop') {
      stopped = true;
      return undefined;
    }
    return r;
  };
  let c = [...items];
  const whole = await tryIt(c);
  if (whole !== true) return { kept: c, attempts, complete: false, unreproducible: whole === false };
  // Steps before the violation may not be needed at all (a stat of a path that never existed).
  const none = await tryIt([]);
  if (none === undefined) return { kept: c, attempts, complete: false };
  if (none) return { kept: [], attempts, complete: true };
  let n = 2;
  while (c.length >= 2) {
    const parts = chunks(c, Math.min(n, c.length));
    let reduced = false;
    for (const part of parts) {
      const r = await tryIt(part);
      if (r === undefined) return { kept: c, attempts, complete: false };
      if (r) {
        c = part;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && parts.length > 2) {
      for (let i = 0; i < parts.length; i++) {
        const complement = parts.filter((_, j) => j !== i).flat();
        const r = await tryIt(complement);
        if (r === undefined) return { kept: c, attempts, complete: false };
        if (r) {
          c = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (parts.length >= c.length) break;
      n = Math.min(c.length, parts.length * 2);
    }
  }
  return { kept: c, attempts, complete: true };
}

/** True when test(kept) holds and dropping any one item breaks it (what ddmin promises when complete). */
export async function isOneMinimal<T>(
  kept: readonly T[],
  test: (c: T[]) => boolean | Promise<boolean>,
): Promise<boolean> {
  if (!(await test([...kept]))) return false;
  for (let i = 0; i < kept.length; i++) {
    if (await test(kept.filter((_, j) => j !== i))) return false;
  }
  return true;
}
