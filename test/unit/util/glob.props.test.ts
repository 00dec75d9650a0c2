// SPDX-License-Identifier: GPL-2.0-only
// Properties of the glob matcher (src/util/glob.ts): it agrees with a
// reference (a regex built from the glob) on small inputs, and its cost,
// counted in loop steps (never wall-clock), stays within
//   (longest run of non-'*' characters + 2) * |text| + 2 * |glob|
// which is linear in the text for any glob. Why that bound holds: each '*' is
// stepped over once; a retry moves the last '*''s mark one character on
// (at most |text| retries) and takes the text pointer back by at most one run,
// so matches number at most |text| + retries * run. A backtracking matcher
// (what a regex with '.*' per '*' does) breaks the bound by orders of
// magnitude on 16-32 '*' and a 10k-character text; planted here, it must fail.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globScan, globMatch, type GlobScan } from '../../../src/util/glob.js';
import { findsCounterexample } from './hostile.js';

type Scan = (glob: string, text: string) => GlobScan;

/** The reference: `*` is [\s\S]*, `?` is [\s\S], everything else literal; code units (no u flag), like globMatch. */
function globRegex(glob: string): RegExp {
  let src = '^';
  for (const c of glob.split(''))
    src += c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  return new RegExp(`${src}$`);
}

function longestRun(glob: string): number {
  return Math.max(0, ...glob.split('*').map((s) => s.length));
}

/** The step bound stated at the top of this file. */
function stepBound(glob: string, text: string): number {
  return (longestRun(glob) + 2) * text.length + 2 * glob.length;
}

// Small inputs: an alphabet where matches are common, with regex metacharacters and surrogate halves.
const small = (max: number) =>
  fc
    .array(fc.constantFrom('a', 'b', '.', '[', ']', '\\', '-', 'é', '\ud83d', '\ude00'), { maxLength: max })
    .map((a) => a.join(''));
const smallGlob = fc
  .array(fc.constantFrom('a', 'b', '*', '*', '?', '.', '[', '\\', 'é', '\ud83d'), { maxLength: 8 })
  .map((a) => a.join(''));
/** A glob and a text made from it (each '*' filled, each '?' one character), sometimes mutated: matches are frequent. */
const derived = fc
  .tuple(smallGlob, fc.array(small(3), { minLength: 8, maxLength: 8 }), fc.option(fc.tuple(fc.nat(), small(1))))
  .map(([g, fills, mutation]) => {
    let t = g
      .split('')
      .map((c, i) => (c === '*' ? fills[i % 8]! : c === '?' ? `${fills[i % 8]!}x`[0]! : c))
      .join('');
    if (mutation) {
      const [at, s] = mutation;
      const i = at % (t.length + 1);
      t = t.slice(0, i) + s + t.slice(i + 1);
    }
    return [g, t] as [string, string];
  });
const pairs = fc.oneof(
  fc.tuple(smallGlob, small(12)),
  derived,
  fc.tuple(fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 10 })),
);

/** 16 to 32 '*' between short runs of a, b and ?, ending in 'c'; a 10k text of a and b never matches it. */
const manyStars = fc
  .array(fc.stringMatching(/^[ab?]{0,3}$/), { minLength: 16, maxLength: 32 })
  .map((runs) => `*${runs.join('*')}c`);
const longText = fc.oneof(
  fc.constant('a'.repeat(10_000)),
  fc.array(fc.constantFrom('a', 'b'), { minLength: 10_000, maxLength: 10_000 }).map((a) => a.join('')),
  fc
    .tuple(fc.constantFrom('a', 'ab', 'aab', 'abb'), fc.constant(10_000))
    .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n)),
);

function agreesWithReference(scan: Scan) {
  return ([g, t]: [string, string]) => {
    expect(scan(g, t).matched).toBe(globRegex(g).test(t));
  };
}

function withinStepBound(scan: Scan) {
  return ([g, t]: [string, string]) => {
    const r = scan(g, t);
    expect(r.steps).toBeLessThanOrEqual(stepBound(g, t));
  };
}

/** A matcher that backtracks like a regex engine: right answers, exponential steps. Gives up at `budget` steps. */
function backtrackingScan(glob: string, text: string, budget = stepBound(glob, text) + 1): GlobScan {
  let steps = 0;
  const go = (g: number, t: number): boolean => {
    if (++steps > budget) return false;
    if (g === glob.length) return t === text.length;
    if (glob[g] === '*') {
      for (let k = t; k <= text.length && steps <= budget; k++) if (go(g + 1, k)) return true;
      return false;
    }
    return t < text.length && (glob[g] === '?' || glob[g] === text[t]) && go(g + 1, t + 1);
  };
  const matched = go(0, 0);
  return { matched, steps };
}

/** A matcher that never retries a '*' (it swallows up to the first fit): fast, and wrong. */
function noRetryScan(glob: string, text: string): GlobScan {
  let g = 0;
  let t = 0;
  let steps = 0;
  while (t < text.length) {
    steps++;
    if (glob[g] === '*') {
      const next = glob[g + 1];
      if (next === undefined) return { matched: true, steps };
      while (t < text.length && next !== '?' && next !== '*' && text[t] !== next) t++;
      g++;
    } else if (g < glob.length && (glob[g] === '?' || glob[g] === text[t])) {
      g++;
      t++;
    } else {
      return { matched: false, steps };
    }
  }
  while (glob[g] === '*') g++;
  return { matched: g === glob.length, steps };
}

describe('globMatch properties', () => {
  it('agrees with a regex built from the glob, on small inputs', () => {
    fc.assert(fc.property(pairs, agreesWithReference(globScan)), { numRuns: 3000 });
  });

  it('stays within the linear step bound on small inputs', () => {
    fc.assert(fc.property(pairs, withinStepBound(globScan)), { numRuns: 3000 });
  });

  it('16-32 "*" against a 10k-character text it does not match: within the bound, and globMatch says no', () => {
    fc.assert(
      fc.property(fc.tuple(manyStars, longText), ([g, t]) => {
        withinStepBound(globScan)([g, t]);
        expect(globMatch(g, t)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('the issue-11 pattern (16 "*a" then "*b" on 10k "a"): under 20 steps per text character', () => {
    const r = globScan(`${'*a'.repeat(16)}*b`, 'a'.repeat(10_000));
    expect(r.matched).toBe(false);
    expect(r.steps).toBeLessThan(20 * 10_000);
  });
});

describe('the same properties catch planted bad matchers', () => {
  it('a backtracking matcher (right answers) breaks the step bound on 16-32 "*"', () => {
    expect(findsCounterexample(fc.tuple(manyStars, longText), withinStepBound(backtrackingScan), 20)).toBe(true);
  });

  it('the backtracking matcher agrees with the reference: only the step property can catch it', () => {
    fc.assert(
      fc.property(
        pairs,
        agreesWithReference((g, t) => backtrackingScan(g, t, Infinity)),
      ),
      { numRuns: 1000 },
    );
  });

  it('a matcher that never retries a "*" disagrees with the reference', () => {
    expect(findsCounterexample(pairs, agreesWithReference(noRetryScan))).toBe(true);
  });
});
