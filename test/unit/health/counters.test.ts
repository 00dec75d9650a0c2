// SPDX-License-Identifier: GPL-2.0-only
import { describe, it, expect } from 'vitest';
import { parseCounter, readCounters, COUNTER_PATHS, type FileReader } from '../../../src/health/counters.js';

describe('counters', () => {
  it('parses counter file text', () => {
    expect(parseCounter('0\n')).toBe(0);
    expect(parseCounter(' 17 \n')).toBe(17);
    expect(parseCounter('')).toBeUndefined();
    expect(parseCounter('-1')).toBeUndefined();
    expect(parseCounter('3 4')).toBeUndefined();
    expect(parseCounter('99999999999999999999')).toBeUndefined();
  });

  it('reads all three and treats an absent file as undefined with a reason', () => {
    const files: Record<string, string> = { [COUNTER_PATHS.oops]: '2\n', [COUNTER_PATHS.taint]: '512\n' };
    const read: FileReader = (p) => (p in files ? { text: files[p]! } : { error: 'ENOENT' });
    const c = readCounters(read);
    expect(c).toMatchObject({ oops: 2, taint: 512 });
    expect(c.warn).toBeUndefined();
    expect(c.unavailable).toEqual(['/sys/kernel/warn_count: ENOENT']);
  });

  it('notes unparsable content instead of inventing a number', () => {
    const c = readCounters(() => ({ text: 'garbage' }));
    expect(c.oops).toBeUndefined();
    expect(c.unavailable).toHaveLength(3);
    expect(c.unavailable[0]).toMatch(/unparsable/);
  });
});
