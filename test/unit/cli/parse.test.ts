// SPDX-License-Identifier: GPL-2.0-only
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseThreads } from '../../../src/cli/parse.js';
import { checkOutputWritable } from '../../../src/util/output.js';
import { UsageError } from '../../../src/errors.js';

describe('option parsing', () => {
  it('durations', () => {
    expect(parseDuration('3s')).toBe(3000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1.5')).toBe(1500);
    expect(parseDuration('24h')).toBe(86_400_000);
    for (const bad of ['', 'soon', '3 s', '-1s', '0s', '25h', '1d'])
      expect(() => parseDuration(bad)).toThrow(UsageError);
  });
  it('threads', () => {
    expect(parseThreads('1')).toBe(1);
    expect(parseThreads('64')).toBe(64);
    expect(parseThreads(undefined)).toBe(Math.min(os.availableParallelism(), 64));
    for (const bad of ['0', '65', 'two', '1.5', '-3']) expect(() => parseThreads(bad)).toThrow(UsageError);
  });
  it('an unwritable or directory --output is refused before the run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-out-'));
    expect(() => checkOutputWritable(dir)).toThrow(/is a directory/);
    expect(() => checkOutputWritable(path.join(dir, 'missing', 'r.json'))).toThrow(/not writable/);
    expect(() => checkOutputWritable('/sys/kernel/notes')).toThrow(UsageError);
    const ok = path.join(dir, 'r.json');
    checkOutputWritable(ok);
    expect(fs.existsSync(ok)).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});
