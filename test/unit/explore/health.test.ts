// SPDX-License-Identifier: GPL-2.0-only
// A program's health verdict from two counter readings: quiet counters are
// no violation; each kind of rise (planted) is one, worded as the runner words it.
import { describe, expect, it } from 'vitest';
import { healthAlarm, WHOLE_PROGRAM } from '../../../src/explore/health.js';

const c = (oops: number, warn: number, taint: number) => ({ oops, warn, taint, unavailable: [] });

describe('healthAlarm', () => {
  it('nothing rose: no violation (also a taint that was already there)', () => {
    expect(healthAlarm(c(0, 0, 0), c(0, 0, 0))).toBeUndefined();
    expect(healthAlarm(c(1, 2, 512), c(1, 2, 512))).toBeUndefined();
  });
  it('a WARN (warn_count and taint W): a violation of the whole program', () => {
    expect(healthAlarm(c(0, 0, 0), c(0, 1, 512))).toEqual({
      action: WHOLE_PROGRAM,
      op: 'kernel health',
      path: expect.any(String),
      expected: 'no oops, warning or new taint',
      got: 'warn_count 0->1, taint 0->512 (W)',
    });
  });
  it('an oops, and a taint alone (a KASAN report taints B)', () => {
    expect(healthAlarm(c(0, 0, 0), c(1, 0, 128))?.got).toBe('oops_count 0->1, taint 0->128 (D)');
    expect(healthAlarm(c(0, 0, 0), c(0, 0, 32))?.got).toBe('taint 0->32 (B)');
  });
  it('a kernel without the counters (6.1): taint alone still judges', () => {
    const none = { unavailable: ['/sys/kernel/oops_count: ENOENT'] };
    expect(healthAlarm({ ...none, taint: 0 }, { ...none, taint: 512 })?.got).toBe('taint 0->512 (W)');
    expect(healthAlarm(none, none)).toBeUndefined();
  });
});
