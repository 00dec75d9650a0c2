// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { missingPackages } from '../../../../src/vm/qemu/deps.js';

const staticElf = () => Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]);

describe('missingPackages and vm --coverage', () => {
  it('asks for lcov only when --coverage is given', () => {
    const all = (p: string) => p !== 'lcov' && p !== 'genhtml';
    expect(missingPackages({ debian: true }, all, staticElf)).not.toContain('lcov');
    expect(missingPackages({ debian: true, coverage: true }, all, staticElf)).toContain('lcov');
    expect(missingPackages({ debian: true, coverage: true }, () => true, staticElf)).not.toContain('lcov');
  });
});
