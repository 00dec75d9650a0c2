// SPDX-License-Identifier: GPL-2.0-only
// The one time syntax (util/time.ts): every unit, the bare-number
// compatibility, and planted bad input refused with the accepted forms named.
import { describe, expect, it } from 'vitest';
import { parseTime, TIME_FORMS } from '../../../src/util/time.js';
import { UsageError } from '../../../src/errors.js';

const spec = { flag: '--timeout', maxMs: 86_400_000, maxText: '24h' };

describe('parseTime', () => {
  it('reads ms, s, m and h, fractions, and a bare number as seconds', () => {
    expect(parseTime('500ms', spec)).toBe(500);
    expect(parseTime('3s', spec)).toBe(3000);
    expect(parseTime('20m', spec)).toBe(1_200_000);
    expect(parseTime('1h', spec)).toBe(3_600_000);
    expect(parseTime('1.5s', spec)).toBe(1500);
    expect(parseTime('1200', spec)).toBe(1_200_000);
    expect(parseTime(' 2m ', spec)).toBe(120_000);
    expect(parseTime('24h', spec)).toBe(86_400_000);
  });

  it('refuses planted bad input, naming the option and every accepted form', () => {
    for (const bad of ['', 'soon', '3 s', '-1s', '1d', '20min', 's', '1e3', '0x10', '3S', '1,5s']) {
      expect(() => parseTime(bad, spec), bad).toThrow(UsageError);
      expect(() => parseTime(bad, spec), bad).toThrow(`--timeout '${bad}' is not a length of time: use ${TIME_FORMS}`);
    }
    for (const zero of ['0', '0s', '0.0001s', '0ms'])
      expect(() => parseTime(zero, spec), zero).toThrow(/must be more than zero: use 500ms, 3s, 20m or 1h/);
    expect(() => parseTime('25h', spec)).toThrow("--timeout '25h' is too long: use 24h or less");
    expect(() => parseTime('86400001ms', spec)).toThrow(UsageError);
    // without a limit, any length
    expect(parseTime('100h', { flag: '--x' })).toBe(360_000_000);
  });
});
