// SPDX-License-Identifier: GPL-2.0-only
// An execution's calls as a recording's steps: what ddmin shrinks and emit turns into C.
import { describe, expect, it } from 'vitest';
import { programSteps } from '../../../src/explore/exec.js';
import type { Execution, Program } from '../../../src/explore/types.js';
import { act } from './fixtures.js';

describe('programSteps', () => {
  it('keeps the calls that ran, indexed by action, up to the one asked for', () => {
    const p: Program = {
      actions: [act.open('{root}/events/{id}_g1/e1/enable', 'ro'), act.stat('enable'), act.pread(0), act.close(0)],
    };
    const e: Execution = {
      names: { root: '/t', id: 'tfsr_1_abcdef', target: '' },
      results: [
        { kind: 'call', outcome: { ok: 'number', value: 5 } },
        { kind: 'skipped', why: 'a relative path with the cwd outside tracefs' },
        { kind: 'call', outcome: { err: 'ENODEV' } },
        { kind: 'call', outcome: { ok: 'number', value: 0 } },
      ],
      violations: [],
    };
    const steps = programSteps(p, e, 2);
    expect(steps.map((s) => [s.index, s.call])).toEqual([
      [0, 'open'],
      [2, 'pread'],
    ]);
    expect(steps[1]!.args).toEqual([{ fd: 0 }, { n: 4096 }, { n: 0 }]);
    expect(steps[1]!.outcome).toEqual({ err: 'ENODEV' });
  });
});
