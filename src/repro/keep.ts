// SPDX-License-Identifier: GPL-2.0-only
// Which steps the minimiser may drop. Dropping a step that changes the
// kernel's state can change what the judged check means: without the
// `-:group/event` write, "pread through a held fd gives ENODEV" fails on
// every kernel (the event is still there), and the "minimal" reproducer
// reproduces on a correct kernel too (seen on Debian 6.1: 4 steps kept of 110,
// the removal gone). So every write, mkdir, rmdir, chmod, chown, chdir and
// creating open stays, with the opens their fds come from; closes stay with
// their open (a held fd is often the point). Only observations (stat, access,
// read, getdents64, a plain open) are candidates.
import type { Step } from './types.js';

const MUTATING = new Set<Step['call']>([
  'write',
  'pwrite',
  'mkdir',
  'rmdir',
  'chmod',
  'fchmod',
  'chown',
  'fchown',
  'chdir',
  'fchdir',
]);

export interface Partition {
  /** Always replayed (a close is skipped when its open is not replayed). */
  fixed: Step[];
  /** What ddmin may drop. */
  droppable: Step[];
}

/** creates: the O_CREAT | O_TRUNC bits of this machine. */
export function partition(steps: readonly Step[], creates: number): Partition {
  const byIndex = new Map(steps.map((s) => [s.index, s]));
  const fixed = new Set<number>();
  const keep = (s: Step): void => {
    if (fixed.has(s.index)) return;
    fixed.add(s.index);
    // The fds it uses come from steps that must run too.
    for (const a of s.args) {
      const from = 'fd' in a ? byIndex.get(a.fd) : undefined;
      if (from) keep(from);
    }
  };
  for (const s of steps) if (MUTATING.has(s.call) || createsFile(s, creates)) keep(s);
  // A close runs when its open does (replay and emit skip it otherwise): it never pulls its open in.
  for (const s of steps) if (s.call === 'close') fixed.add(s.index);
  return { fixed: steps.filter((s) => fixed.has(s.index)), droppable: steps.filter((s) => !fixed.has(s.index)) };
}

function createsFile(s: Step, creates: number): boolean {
  const flags = s.call === 'open' ? s.args[1] : s.call === 'openat' ? s.args[2] : undefined;
  return !!flags && 'n' in flags && (flags.n & creates) !== 0;
}

/** fixed and chosen, back in recorded order. */
export function merge(fixed: readonly Step[], chosen: readonly Step[]): Step[] {
  return [...fixed, ...chosen].sort((a, b) => a.index - b.index);
}
