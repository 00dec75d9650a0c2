// SPDX-License-Identifier: GPL-2.0-only
// The kernel's verdict on one program: its oops and warn counters and taint,
// read before and after. A rise is a violation of its own, tied to no action
// (action -1): a WARN, a KASAN report or an oops inside a call the model
// allowed is invisible to the model. Worded as the runner words it.
import { buildDelta, type Counters } from '../health/index.js';
import { healthParts } from '../runner/judge.js';
import type { ModelViolation } from './types.js';

/** The action index of a health violation: the whole program, no single call. */
export const WHOLE_PROGRAM = -1;

const NO_SCAN = { lines: [], alarms: 0, dropped: 0 };

export function healthAlarm(before: Counters, after: Counters): ModelViolation | undefined {
  const d = buildDelta(before, after, NO_SCAN);
  if (d.ok) return undefined;
  return {
    action: WHOLE_PROGRAM,
    op: 'kernel health',
    path: '/sys/kernel/{oops,warn}_count, /proc/sys/kernel/tainted',
    expected: 'no oops, warning or new taint',
    got: healthParts(d).join(', '),
  };
}
