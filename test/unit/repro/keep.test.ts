// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { merge, partition } from '../../../src/repro/keep.js';
import type { Step } from '../../../src/repro/types.js';

const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const ok = { ok: 'number', value: 0 } as const;
const s = (index: number, call: Step['call'], ...args: Step['args']): Step => ({ index, call, args, outcome: ok });

// fd-across-removal as recorded on Debian 6.1, shortened: create, list, hold an fd, remove, read through it.
const steps: Step[] = [
  s(0, 'open', { t: '{root}/kprobe_events' }, { n: 0o2001 }),
  s(1, 'write', { fd: 0 }, { t: 'p:{id}_g1/e2 {target}' }),
  s(2, 'close', { fd: 0 }),
  s(3, 'stat', { t: '{root}/events/{id}_g1/e2/filter' }),
  s(4, 'open', { t: '{root}/events/{id}_g1/e2/filter' }, { n: 2 }),
  s(5, 'open', { t: '{root}/kprobe_events' }, { n: 0o2001 }),
  s(6, 'write', { fd: 5 }, { t: '-:{id}_g1/e2' }),
  s(7, 'close', { fd: 5 }),
  s(8, 'open', { t: '{root}/x' }, { n: 1 | O_CREAT }),
];

describe('partition', () => {
  it('keeps every state change with the opens it writes through, and closes; observations may go', () => {
    const { fixed, droppable } = partition(steps, O_CREAT | O_TRUNC);
    expect(fixed.map((x) => x.index)).toEqual([0, 1, 2, 5, 6, 7, 8]);
    // The held fd (4) is droppable: the judged pread pulls it in by failing without it.
    expect(droppable.map((x) => x.index)).toEqual([3, 4]);
  });

  it('merges a choice back in recorded order', () => {
    const { fixed, droppable } = partition(steps, O_CREAT | O_TRUNC);
    expect(merge(fixed, [droppable[1]!]).map((x) => x.index)).toEqual([0, 1, 2, 4, 5, 6, 7, 8]);
  });

  it('pulls in a plain open when a write goes through its fd (a trigger written to a held fd)', () => {
    const held = [...steps, s(9, 'write', { fd: 4 }, { t: 'traceon' })];
    const { fixed, droppable } = partition(held, O_CREAT | O_TRUNC);
    expect(fixed.map((x) => x.index)).toContain(4);
    expect(droppable.map((x) => x.index)).toEqual([3]);
  });
});
