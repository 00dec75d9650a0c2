// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { buildCmdline } from '../../../../src/vm/qemu/cmdline.js';
import { UsageError } from '../../../../src/errors.js';

describe('kernel command line', () => {
  it('has the serial console, panic handling and our init', () => {
    const l = buildCmdline();
    expect(l.split(' ')).toEqual(expect.arrayContaining(['console=ttyS0', 'panic=-1', 'rdinit=/init']));
  });

  it('appends --append last so the user can override', () => {
    const l = buildCmdline({ append: ' loglevel=8 kasan.fault=panic ' });
    expect(l.endsWith(' loglevel=8 kasan.fault=panic')).toBe(true);
  });

  it('rejects a multi-line or oversized --append', () => {
    expect(() => buildCmdline({ append: 'a\nb' })).toThrow(UsageError);
    expect(() => buildCmdline({ append: 'x'.repeat(3000) })).toThrow(/2047/);
  });
});
