// SPDX-License-Identifier: GPL-2.0-only
import { describe, it, expect } from 'vitest';
import {
  taintLetters,
  printTainted,
  taintGained,
  taintBits,
  describeTaint,
  TAINT_FLAGS,
} from '../../../src/health/taint.js';

describe('taint decoding', () => {
  it('indexes the table by bit number, as kernel/panic.c does', () => {
    TAINT_FLAGS.forEach((f, i) => expect(f.bit).toBe(i));
    expect(TAINT_FLAGS.map((f) => f.letter).join('')).toBe('PFSRMBUDAWCIOELKXTNJ');
  });

  it('decodes the values kernel-facts.md names: B=32, D=128, W=512, L=16384', () => {
    expect(taintLetters(32)).toBe('B');
    expect(taintLetters(128)).toBe('D');
    expect(taintLetters(512)).toBe('W');
    expect(taintLetters(16384)).toBe('L');
    expect(taintLetters(4)).toBe('S');
    expect(taintLetters(8)).toBe('R');
    expect(taintLetters(128 | 512 | 4096)).toBe('DWO');
    expect(taintLetters(1 << 19)).toBe('J');
  });

  it('gives an empty string for an untainted kernel and marks bits newer than the table', () => {
    expect(taintLetters(0)).toBe('');
    expect(taintLetters(2 ** 20 + 512)).toBe('W#20');
    expect(taintBits(2 ** 40 + 1)).toEqual([0, 40]);
  });

  it('prints like print_tainted: G for bit 0 clear, blanks for the others', () => {
    expect(printTainted(0)).toBe('Not tainted');
    const s = printTainted(512);
    expect(s.startsWith('Tainted: G        W')).toBe(true);
    expect(s.length).toBe('Tainted: '.length + TAINT_FLAGS.length);
    expect(printTainted(1).startsWith('Tainted: P ')).toBe(true);
  });

  it('reports only bits newly set', () => {
    expect(taintGained(512, 512)).toBe(0);
    expect(taintGained(512, 512 | 128)).toBe(128);
    expect(taintGained(4096, 0)).toBe(0);
    expect(describeTaint(640)).toBe('[D]=DIE, [W]=WARN');
  });

  it('rejects a mask that is not a non-negative integer', () => {
    expect(() => taintLetters(-1)).toThrow(RangeError);
    expect(() => taintLetters(1.5)).toThrow(RangeError);
  });
});
