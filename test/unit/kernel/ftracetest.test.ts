// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { guestScript, parseFtracetest } from '../../../src/kernel/ftracetest.js';

describe('ftracetest output', () => {
  it('parses results on the same line, later lines, and with colours', () => {
    const text = [
      '=== Ftrace unit tests ===',
      '[1] Kprobe dynamic event - adding and removing\t[PASS]',
      '[2] Kprobe event enable/disable',
      'some noise the test printed',
      '\t[\x1b[31mFAIL\x1b[0m]',
      '[3] (instance)  Kprobe on module\t[UNRESOLVED]',
      '[13] Kprobe with function tracer[   26.998688] clocksource: Long readout interval',
      '\t[PASS]',
      '[4] Generic dynamic event - add/remove kprobe events\t[UNSUPPORTED]',
      '',
      '# of passed:  1',
    ].join('\n');
    expect(parseFtracetest(text)).toEqual([
      { n: 1, name: 'Kprobe dynamic event - adding and removing', status: 'PASS' },
      { n: 2, name: 'Kprobe event enable/disable', status: 'FAIL' },
      { n: 3, name: '(instance)  Kprobe on module', status: 'UNRESOLVED' },
      { n: 13, name: 'Kprobe with function tracer', status: 'PASS' },
      { n: 4, name: 'Generic dynamic event - add/remove kprobe events', status: 'UNSUPPORTED' },
    ]);
  });

  it('builds a guest command that hides the results share from ftracetest', () => {
    expect(guestScript("/r/share", ['test.d/kprobe'])).toBe("umount '/r/share' && exec ./ftracetest -l /tmp/ftracetest-logs 'test.d/kprobe'");
  });

  it('ignores a case whose result never came (the guest died mid-test)', () => {
    expect(parseFtracetest('[1] a\t[PASS]\n[2] b\n')).toEqual([{ n: 1, name: 'a', status: 'PASS' }]);
  });
});
