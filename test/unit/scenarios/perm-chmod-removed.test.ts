// SPDX-License-Identifier: GPL-2.0-only
// Which kernels perm-chmod-removed holds to ENODEV through a held fd: eventfs
// ones (6.6+). A kernel before it (6.1 measured: success) is only noted.
import { describe, expect, it } from 'vitest';
import { atLeast } from '../../../src/scenarios/perm-chmod-removed.js';

describe('perm-chmod-removed: the eventfs cut-off', () => {
  it('is 6.6, by major then minor', () => {
    expect(atLeast([6, 6, 0], [6, 6])).toBe(true);
    expect(atLeast([6, 18, 44], [6, 6])).toBe(true);
    expect(atLeast([7, 0, 0], [6, 6])).toBe(true);
    expect(atLeast([6, 1, 192], [6, 6])).toBe(false);
    expect(atLeast([6, 5, 99], [6, 6])).toBe(false);
    expect(atLeast([5, 19, 0], [6, 6])).toBe(false); // a minor compared alone would say 19 >= 6
  });
});
