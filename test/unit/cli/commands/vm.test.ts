// SPDX-License-Identifier: GPL-2.0-only
// The vm command's defaults are measured (docs/measurements.md, "Defaults, measured"): the
// option table must carry the measured figure, not a stale literal.
import { describe, expect, it } from 'vitest';
import { vmCommand } from '../../../../src/cli/commands/vm.js';
import { DEFAULT_VM_CPUS } from '../../../../src/vm/options.js';

describe('vm command defaults', () => {
  it('--cpus defaults to the measured guest size', () => {
    const cpus = vmCommand().options.find((o) => o.long === '--cpus');
    expect(DEFAULT_VM_CPUS).toBe(3);
    expect(cpus?.defaultValue).toBe(String(DEFAULT_VM_CPUS));
  });
});
