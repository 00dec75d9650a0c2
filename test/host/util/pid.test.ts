// SPDX-License-Identifier: GPL-2.0-only
import { execaSync } from 'execa';
import { describe, expect, it } from 'vitest';
import { pidAlive } from '../../../src/util/pid.js';

describe('pidAlive', () => {
  it('is true for this process and for init (EPERM counts as alive)', () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(1)).toBe(true);
  });

  it('is false for a process that has exited', () => {
    const dead = Number(execaSync('sh', ['-c', 'echo $$']).stdout.trim());
    expect(pidAlive(dead)).toBe(false);
  });
});
