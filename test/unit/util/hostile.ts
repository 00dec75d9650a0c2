// SPDX-License-Identifier: GPL-2.0-only
// Generators of hostile strings for the property tests (fast-check): the
// characters that split or smuggle a control-file command ('\n', '\r', '\t',
// ' ', ':', '!', '-', '/', '..', NUL, '#', ';'), Unicode that a Latin-1
// kernel parser reads as space or control (U+00A0, U+0085, U+2028, a lone
// surrogate), arbitrary Unicode, and very long runs. Each is spliced into an
// otherwise valid value too, so the hostile part meets the accepting path.
import fc from 'fast-check';

/** One character or short run that has broken a command line somewhere. */
export const HOSTILE = [
  '\n',
  '\r',
  '\t',
  '\v',
  '\f',
  ' ',
  '\0',
  '\x1b',
  '\x7f',
  ':',
  '!',
  '-',
  '/',
  '//',
  '..',
  '.',
  '#',
  ';',
  '+',
  '=',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ud800',
  '\u0820',
  'é',
  '𝕏',
  '-:g/e',
  '\n-:g/e',
  'p:g/e',
] as const;

const hostileChar = fc.constantFrom(...HOSTILE);

/** Any string with hostile parts: fragments, arbitrary code points, long runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(fc.oneof(hostileChar, fc.constantFrom('a', 'Z', '_', '0', '9', 'tfsr_1_ab')), { maxLength: 12 })
      .map((a) => a.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', '_', '/', '/a', '\n', 'é', '\u00a0'), fc.integer({ min: 60, max: 6000 }))
      .map(([s, n]) => s.repeat(n)),
  },
);

/** `valid` with a hostile part put in front, inside or at the end (or nothing put in). */
export function spliced(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(valid, fc.oneof(hostileChar, hostileString), fc.nat(), fc.constantFrom('start', 'inside', 'end', 'none'))
    .map(([v, h, at, where]) => {
      if (where === 'none') return v;
      const i = where === 'start' ? 0 : where === 'end' ? v.length : at % (v.length + 1);
      return v.slice(0, i) + h + v.slice(i);
    });
}

/** Valid-looking and hostile values in one arbitrary, for a validator's input. */
export function validOrHostile(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 3, arbitrary: spliced(valid) },
    { weight: 2, arbitrary: hostileString },
  );
}

export const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,70}$/);
export const symbol = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,40}$/);
/** Absolute paths from plausible and tricky components ('', '.', '..'), with or without a trailing '/'. */
export const pathLike = fc
  .tuple(
    fc.array(
      fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.+-]{1,10}$/), fc.constantFrom('usr', 'bin', 'true', '..', '.', '')),
      { minLength: 0, maxLength: 6 },
    ),
    fc.boolean(),
  )
  .map(([parts, trailing]) => `/${parts.join('/')}${trailing ? '/' : ''}`);

/**
 * Whether fast-check finds an input on which `check` fails one of its
 * expect() assertions (for planted bad implementations). A crash of another
 * kind (a TypeError in the planted code) does not count: the property itself
 * must be what catches the bad implementation.
 */
export function findsCounterexample<T>(arb: fc.Arbitrary<T>, check: (v: T) => void, numRuns = 5000): boolean {
  const r = fc.check(
    fc.property(arb, (v) => {
      check(v);
    }),
    { numRuns, endOnFailure: true }, // no shrinking: that a counterexample exists is the point
  );
  return r.failed && (r.errorInstance as Error | undefined)?.name === 'AssertionError';
}
