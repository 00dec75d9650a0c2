// SPDX-License-Identifier: GPL-2.0-only
// What a recorded scenario run looks like to the emitter and the minimiser.
// Strings are templates: the run's tracefs root, run id and probe site appear
// as {root}, {id} and {target}, so each replay (and the C file) uses its own.
import { SYS_CALLS } from '../native/types.js';
import type { JudgedCheck } from '../scenarios/types.js';

/** The calls a reproducer replays, with their arguments' kinds: a scenario's Sys (src/native/types.ts SYS_CALLS). */
export const CALLS = SYS_CALLS;

export type CallName = keyof typeof CALLS;

/** One argument: a template string, a number, or the fd that step `fd` opened. */
export type Arg = { t: string } | { n: number } | { fd: number };

/** What the call gave when it was recorded. */
export type Outcome =
  | { err: string }
  | { ok: 'number'; value: number }
  | { ok: 'bytes'; length: number; text: string }
  | { ok: 'entries'; names: string[] }
  | { ok: 'stat'; mode: number; uid: number; gid: number }
  | { ok: 'string' };

export interface Step {
  /** Position in the recording (0-based); kept when steps are dropped. */
  index: number;
  call: CallName;
  args: Arg[];
  outcome: Outcome;
}

/** How Checks judged the result it was given. */
export type Check = JudgedCheck;

/** A failed expectation, tied to the step it judged (or the last step before it). */
export interface Judged {
  step: number;
  check: Check;
  /** Evidence fields, as templates. */
  op: string;
  path: string;
  expected: string;
  got: string;
}

export interface Names {
  root: string;
  id: string;
  target: string;
}

export interface Recording {
  names: Names;
  steps: Step[];
  judged: Judged[];
}
