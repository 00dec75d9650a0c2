// SPDX-License-Identifier: GPL-2.0-only
// --repeat N / --until-fail: parsed before tracefs is touched; a bad value is
// a usage error (exit 2) that says what to type instead.
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRepeat } from '../../../src/cli/parse.js';
import { MAX_REPEAT } from '../../../src/report/repeat.js';
import { UsageError } from '../../../src/errors.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/tracefs-regress.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('parseRepeat', () => {
  it('neither flag: no repeat plan (a single run, unchanged)', () => {
    expect(parseRepeat(undefined, false)).toBeUndefined();
  });
  it('--repeat N: N iterations, whatever fails', () => {
    expect(parseRepeat('1')).toEqual({ count: 1, untilFail: false });
    expect(parseRepeat('10')).toEqual({ count: 10, untilFail: false });
    expect(parseRepeat(String(MAX_REPEAT))).toEqual({ count: 1_000_000, untilFail: false });
  });
  it('--until-fail alone is capped at 1e6; with --repeat N at N', () => {
    expect(parseRepeat(undefined, true)).toEqual({ count: 1_000_000, untilFail: true });
    expect(parseRepeat('3', true)).toEqual({ count: 3, untilFail: true });
  });
  it('anything else is a UsageError naming the range', () => {
    for (const bad of ['0', '1000001', '-1', '1.5', 'ten', '', '1e3', '0x10']) {
      expect(() => parseRepeat(bad), bad).toThrow(UsageError);
      expect(() => parseRepeat(bad), bad).toThrow(/1 to 1000000/);
    }
  });
});

describe('run --repeat on the command line', () => {
  it('is in --help', () => {
    const r = cli('run', '--help');
    expect(r.stdout).toMatch(/--repeat <n>/);
    expect(r.stdout).toMatch(/--until-fail/);
  });
  it('a bad value exits 2 before anything runs, with a fix-it message', () => {
    for (const [bad, why] of [
      ['0', /--repeat 0 is out of range: use 1 to 1000000 iterations/],
      ['lots', /--repeat 'lots' is not a whole number: use 1 to 1000000 iterations, e\.g\. --repeat 10/],
    ] as const) {
      const r = cli('run', '--repeat', bad, '--until-fail');
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(why);
      expect(r.stdout).toBe('');
    }
  });
});
