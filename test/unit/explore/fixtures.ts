// SPDX-License-Identifier: GPL-2.0-only
// Shared by the explore unit tests: x86-64's flag values (the addon's
// constants there; the unit project must not load the addon), a world and a
// planted run through the model.
import { makeAct } from '../../../src/explore/actions.js';
import { Model } from '../../../src/explore/model.js';
import type { CallAction, ModelViolation } from '../../../src/explore/types.js';
import { defaultWorld, type Flags, type World } from '../../../src/explore/world.js';
import type { Outcome } from '../../../src/repro/types.js';

export const FLAGS: Flags = {
  O_RDONLY: 0,
  O_WRONLY: 1,
  O_RDWR: 2,
  O_APPEND: 0o2000,
  O_DIRECTORY: 0o200000,
  O_PATH: 0o10000000,
  F_OK: 0,
  SEEK_SET: 0,
};

export const world = (over: Partial<World> = {}): World => defaultWorld(FLAGS, over);
export const act = makeAct(FLAGS);

/** 'OK' (a number, as open and write give), an errno name, or a whole outcome. */
export type Planted = 'OK' | string | Outcome;

export function outcome(p: Planted): Outcome {
  if (typeof p !== 'string') return p;
  return p === 'OK' ? { ok: 'number', value: 3 } : { err: p };
}
export const bytes = (text: string): Outcome => ({ ok: 'bytes', length: text.length, text });
export const entries = (...names: string[]): Outcome => ({ ok: 'entries', names });

/** Runs planted (action, outcome) pairs through a fresh model; every violation. */
export function judge(steps: [CallAction, Planted][], w: World = world()): ModelViolation[] {
  const m = new Model(w);
  return steps.flatMap(([a, o], i) => m.step(i, a, outcome(o)));
}
