// SPDX-License-Identifier: GPL-2.0-only
// Edits through the linked form: a kept subset of a program gets its fd
// arguments renumbered, and an action whose fd's opener went is dropped.
import { describe, expect, it } from 'vitest';
import { subProgram } from '../../../src/explore/fd-links.js';
import type { CallAction, Program } from '../../../src/explore/types.js';

const call = (c: CallAction['call'], ...args: CallAction['args']): CallAction => ({ kind: 'call', call: c, args });

describe('subProgram', () => {
  const p: Program = {
    actions: [
      call('open', { t: '{root}/a' }, { n: 0 }),
      call('stat', { t: '{root}/b' }),
      call('open', { t: '{root}/c' }, { n: 0 }),
      call('pread', { fd: 2 }, { n: 10 }, { n: 0 }),
      call('close', { fd: 0 }),
      { kind: 'race', config: { create: [], remove: [] } as never },
    ],
  };
  it('renumbers fd arguments to the kept openers', () => {
    expect(subProgram(p, [2, 3]).actions).toEqual([p.actions[2], call('pread', { fd: 0 }, { n: 10 }, { n: 0 })]);
  });
  it('drops an action whose fd opener is not kept, keeps race actions', () => {
    expect(subProgram(p, [1, 3, 4, 5]).actions).toEqual([p.actions[1], p.actions[5]]);
  });
  it('the whole program is itself', () => {
    expect(subProgram(p, [0, 1, 2, 3, 4, 5])).toEqual(p);
  });
});
