// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { findInPath } from '../../../src/host/programs.js';

describe('findInPath', () => {
  it('finds a program in PATH, and the sbin tools a non-root PATH lacks', () => {
    const old = process.env.PATH;
    process.env.PATH = '/usr/bin:/bin';
    try {
      expect(findInPath('sh')).toMatch(/\/sh$/);
      expect(findInPath('depmod')).toMatch(/^\/(usr\/)?sbin\/depmod$/);
      expect(findInPath('no-such-program-here')).toBeUndefined();
    } finally {
      process.env.PATH = old;
    }
  });

  it('takes an absolute path as it is, if it exists', () => {
    expect(findInPath('/bin/sh')).toBe('/bin/sh');
    expect(findInPath('/nonexistent/sh')).toBeUndefined();
  });
});
