// SPDX-License-Identifier: GPL-2.0-only
// Properties of the name validator (src/probes/names.ts) over hostile input:
// every value either throws NameError or is safe to put in one control-file
// command. Each property is also run against a planted bad validator and must
// find a counterexample there, so a property that checks nothing fails here.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  validateName,
  validateSymbol,
  validatePath,
  assertSingleCommand,
  NameError,
  MAX_NAME_LEN,
} from '../../../src/probes/names.js';
import { isOneCommand, kernelGoodName, plainSymbol } from '../util/kernel-reading.js';
import { findsCounterexample, identifier, pathLike, symbol, validOrHostile, hostileString } from '../util/hostile.js';

const RUNS = { numRuns: 3000 };

/** The validator's value, or undefined when it threw NameError; any other throw fails the property. */
function accepted<T>(validate: (v: T) => string, v: T): string | undefined {
  try {
    return validate(v);
  } catch (e) {
    if (e instanceof NameError) return undefined;
    throw e;
  }
}

/** Accepted names are good kernel names of at most MAX_EVENT_NAME_LEN, returned unchanged. */
function nameProperty(validate: (s: string) => string) {
  return (s: string) => {
    const out = accepted(validate, s);
    if (out === undefined) return;
    expect(out).toBe(s);
    expect(kernelGoodName(out) && out.length <= MAX_NAME_LEN).toBe(true);
  };
}

/** Accepted symbols: [A-Za-z_][A-Za-z0-9_.]*, at most 256: no space, ':' (module:), '+' (offset), control. */
function symbolProperty(validate: (s: string) => string) {
  return (s: string) => {
    const out = accepted(validate, s);
    if (out === undefined) return;
    expect(out).toBe(s);
    expect(plainSymbol(out)).toBe(true);
  };
}

/**
 * Accepted paths are absolute and already normalised (what realpath gives):
 * resolving them changes nothing, so no '..' leads outside the path as
 * written, and no ':', space or control character can split the definition.
 */
function pathProperty(validate: (s: string) => string) {
  return (s: string) => {
    const out = accepted(validate, s);
    if (out === undefined) return;
    expect(out).toBe(s);
    expect(out.length).toBeLessThanOrEqual(4096);
    expect(path.posix.resolve('/', out)).toBe(out);
    expect(out).not.toBe('/');
    expect(/^[A-Za-z0-9_.+\-/]+$/.test(out)).toBe(true);
  };
}

/**
 * An accepted line is one command in the kernel's terms: every byte written
 * is printable ASCII (so no '\n', no control byte, no 0xa0 that the kernel's
 * isspace() splits on), not empty, and without a leading or trailing space.
 */
function oneCommandProperty(gate: (s: string) => string) {
  return (s: string) => {
    const out = accepted(gate, s);
    if (out === undefined) return;
    expect(out).toBe(s);
    expect(isOneCommand(out)).toBe(true);
  };
}

const lineLike = validOrHostile(
  fc.constantFrom('p:tfsr_1_ab/e1 vfs_read', '-:tfsr_1_ab/e1', '!tfsr_1_ab_s1', 'tfsr_1_ab_s1 u64 tfsr_value'),
);

describe('names.ts properties over hostile input', () => {
  it('validateName: NameError, or a kernel-good name of at most 64 characters', () => {
    fc.assert(
      fc.property(
        validOrHostile(identifier),
        nameProperty((s) => validateName('event', s)),
      ),
      RUNS,
    );
  });

  it('validateSymbol: NameError, or a plain symbol', () => {
    fc.assert(fc.property(validOrHostile(symbol), symbolProperty(validateSymbol)), RUNS);
  });

  it('validatePath: NameError, or an absolute normalised path with nothing that splits', () => {
    fc.assert(fc.property(validOrHostile(pathLike), pathProperty(validatePath)), RUNS);
  });

  it('assertSingleCommand: NameError, or printable ASCII without edge spaces', () => {
    fc.assert(fc.property(lineLike, oneCommandProperty(assertSingleCommand)), RUNS);
  });

  it('every validator refuses a non-string with NameError (values from JSON or YAML)', () => {
    const notString = fc.anything().filter((v) => typeof v !== 'string');
    fc.assert(
      fc.property(notString, (v) => {
        for (const f of [(x: string) => validateName('group', x), validateSymbol, validatePath, assertSingleCommand]) {
          expect(() => f(v as string)).toThrow(NameError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the same properties catch planted bad validators', () => {
  it('a name validator that lets "\\n" through', () => {
    const leaky = (s: string) => {
      if (/^[A-Za-z_][A-Za-z0-9_\n]{0,63}$/.test(s)) return s;
      throw new NameError('bad');
    };
    expect(findsCounterexample(validOrHostile(identifier), nameProperty(leaky))).toBe(true);
  });

  it('a symbol validator whose regex is not anchored', () => {
    const unanchored = (s: string) => {
      if (/[A-Za-z_][A-Za-z0-9_.]*/.test(s)) return s;
      throw new NameError('bad');
    };
    expect(findsCounterexample(validOrHostile(symbol), symbolProperty(unanchored))).toBe(true);
  });

  it("the path validator before the property tests (it let '..' and '.' components through)", () => {
    const before = (p: string) => {
      if (!/^\/[A-Za-z0-9_.+\-/]*$/.test(p) || p.length > 4096 || p.includes('//')) throw new NameError('bad');
      return p;
    };
    expect(findsCounterexample(validOrHostile(pathLike), pathProperty(before))).toBe(true);
  });

  it('the command gate before the property tests (it let U+00A0, U+0085, U+2028 through)', () => {
    const before = (line: string) => {
      if (/[\x00-\x1f\x7f]/.test(line) || line.trim() !== line || line.length === 0) throw new NameError('bad');
      return line;
    };
    expect(findsCounterexample(lineLike, oneCommandProperty(before))).toBe(true);
  });

  it('a command gate that forgets "\\r"', () => {
    const noCr = (line: string) => {
      if (/[\x00-\x0c\x0e-\x1f\x7f-\uffff]/.test(line) || line.trim() !== line || line.length === 0)
        throw new NameError('bad');
      return line;
    };
    expect(findsCounterexample(lineLike, oneCommandProperty(noCr))).toBe(true);
  });

  it('the hostile generator reaches long inputs (a property that breaks only past 4096 characters)', () => {
    const shortOnly = (s: string) => expect(s.length).toBeLessThan(4096);
    expect(findsCounterexample(hostileString, shortOnly)).toBe(true);
  });
});
