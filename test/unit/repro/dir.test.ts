// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { reproFileName } from '../../../src/repro/dir.js';

describe('reproFileName', () => {
  it('is the result name, with @<iteration> under --repeat', () => {
    expect(reproFileName('fd-across-removal[kprobe]')).toBe('fd-across-removal[kprobe].c');
    expect(reproFileName('fd-across-removal[kprobe]', 3)).toBe('fd-across-removal[kprobe]@3.c');
  });
  it('replaces what a file name should not hold (a slash, a space, a quote)', () => {
    expect(reproFileName("a/b c'd[x]")).toBe('a_b_c_d[x].c');
  });
});
