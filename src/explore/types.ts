// SPDX-License-Identifier: GPL-2.0-only
// `explore`'s program: what the generator makes, the mutator edits, the
// executor runs and the minimiser shrinks. One program is a sequence of
// actions. A sequential action is one system call in the reproducer's own
// step format (src/repro/types.ts), so a finding replays, shrinks (ddmin) and
// becomes C through the code that already does it for scenarios. A race
// action is one run of the race engine (2-4 workers against a create/remove
// controller) with a generated config, judged by the engine's own per-op
// rules: concurrency gets one model, the engine's, not a second copy.
import type { Arg, CallName, Names, Outcome } from '../repro/types.js';
import type { RaceConfig } from '../race/types.js';

/** One system call. Strings are templates ({root}, {id}, {target}); `{ fd: i }` is the fd action i opened. */
export interface CallAction {
  kind: 'call';
  call: CallName;
  args: Arg[];
}

/** A concurrent phase: the race engine with this config (durationMs or maxCycles bound it). Paths are templates. */
export interface RaceAction {
  kind: 'race';
  config: RaceConfig;
}

export type Action = CallAction | RaceAction;

export interface Program {
  actions: Action[];
}

/** What one action gave: the call's outcome, or the race's violations (none: it held). */
export type ActionResult =
  | { kind: 'call'; outcome: Outcome }
  | { kind: 'race'; violations: string[]; cycles: number; opsPerSec: number }
  | { kind: 'skipped'; why: string };

/** A broken rule of the model: which action, what it allowed, what the kernel gave. */
export interface ModelViolation {
  action: number;
  op: string;
  path: string;
  expected: string;
  got: string;
  /** The results the model allowed ('OK' or errno names): the C reproducer checks them. */
  allowed?: readonly string[];
}

/** A program's run, judged: the kernel's health is judged beside it by src/health. */
export interface Execution {
  names: Names;
  results: ActionResult[];
  violations: ModelViolation[];
}

/** The explorer's randomness: seeded (--seed), so a run is repeatable. */
export interface Rng {
  /** A uniform integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

/**
 * What the loop (loop.ts) needs from the program side (generate.ts, mutate.ts,
 * exec.ts): injected, so the loop is tested with fakes and the engine without
 * a loop.
 */
export interface Explorer {
  generate(rng: Rng): Program;
  /** A changed copy of p; `others` (the corpus) may be spliced in. */
  mutate(p: Program, rng: Rng, others: readonly Program[]): Program;
  /** Runs p against the kernel with fresh names, judges every action, removes what it created. */
  execute(p: Program, signal?: AbortSignal): Promise<Execution>;
}
