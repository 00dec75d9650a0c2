// SPDX-License-Identifier: GPL-2.0-only
// The per-op rule of a race, as one table: which outcome of an op breaks
// which rule. The C race program's rules[] is rendered from this table
// (race.ts), and the pure model below judges a trace with it, so a planted
// change to a row shows up as a changed verdict in the unit tests.
// The rules are the native engine's (native/race/worker.cc): the same names,
// the same windows, the same expected results.

/** What about an op's outcome breaks a rule. */
export type RuleTest = 'not-enoent' | 'enoent' | 'succeeded' | 'listed';

export interface RaceRule {
  /** The rule's name in the engine's violations (worker.cc). */
  id: 'absent-not-enoent' | 'present-enoent' | 'stale-dirfd' | 'write-after-removal' | 'listed-after-removal';
  /** The ops the rule applies to and the window in which they are judged. */
  when: string;
  test: RuleTest;
  /** What a correct kernel gives, as the REPRODUCED line says it. */
  expected: string;
}

export const RACE_RULES: readonly RaceRule[] = [
  {
    id: 'absent-not-enoent',
    when: 'a path op that started and ended inside one absent window (after a removal returned, before the next create)',
    test: 'not-enoent',
    expected: 'ENOENT',
  },
  {
    id: 'present-enoent',
    when: 'a path op that started and ended inside one present window',
    test: 'enoent',
    expected: 'success',
  },
  {
    id: 'stale-dirfd',
    when: 'openat/fstatat through a dirfd whose generation was removed before the op started',
    test: 'not-enoent',
    expected: 'ENOENT',
  },
  {
    id: 'write-after-removal',
    when: "a write to enable through an fd whose newest generation's removal returned before the write started",
    test: 'succeeded',
    expected: 'ENODEV',
  },
  {
    id: 'listed-after-removal',
    when: 'a getdents64 of the group that started and ended inside one absent window',
    test: 'listed',
    expected: 'not listed',
  },
];

export type RuleId = RaceRule['id'];

/** An op's outcome: errno (0: success) and, for a listing, whether the removed entry was listed. */
export interface Outcome {
  errno: number;
  listed?: boolean;
}

export const ENOENT = 2;

export function violates(test: RuleTest, o: Outcome): boolean {
  switch (test) {
    case 'not-enoent':
      return o.errno !== ENOENT;
    case 'enoent':
      return o.errno === ENOENT;
    case 'succeeded':
      return o.errno === 0;
    case 'listed':
      return !!o.listed;
  }
}

// The generation sequence (native/race/engine.h): 4k+0 creating, 4k+1
// present, 4k+2 removing, 4k+3 absent.
export type Window = 'present' | 'absent' | 'transition';

export function classify(s0: number, s1: number): Window {
  if (s0 !== s1) return 'transition';
  return s0 % 4 === 1 ? 'present' : s0 % 4 === 3 ? 'absent' : 'transition';
}

const cycleOf = (s: number) => Math.floor(s / 4);
/** Generation (cycle) k is dead once its removal returned. */
const removedSince = (k: number, s: number) => s >= 4 * k + 3;

/** One op of a trace, with the counter read before (s0) and after (s1) it. */
export type TraceOp =
  /** A path op (open, stat, the listed entry's stat); strict: the path goes away with the event. */
  | { kind: 'path'; s0: number; s1: number; outcome: Outcome; strict?: boolean }
  /** openat/fstatat through a dirfd tagged with the newest cycle it can reach (exact: only that one). */
  | { kind: 'dirfd'; tag: number; exact: boolean; s0: number; s1: number; outcome: Outcome }
  /** A write through an enable fd that can reach at newest cycle `tag`. */
  | { kind: 'write'; tag: number; s0: number; s1: number; outcome: Outcome }
  | { kind: 'listing'; s0: number; s1: number; outcome: Outcome };

/** The rule a traced op breaks under `rules`, or undefined (the C program's judge_path, op_dirfd, ...). */
export function judge(rules: readonly RaceRule[], op: TraceOp): RaceRule | undefined {
  const rule = (id: RuleId) => {
    const r = rules.find((x) => x.id === id);
    if (!r) throw new Error(`rule table has no ${id}`);
    return r;
  };
  const broken = (id: RuleId) => (violates(rule(id).test, op.outcome) ? rule(id) : undefined);
  const w = classify(op.s0, op.s1);
  switch (op.kind) {
    case 'path':
      if (w === 'absent' && op.strict !== false) return broken('absent-not-enoent');
      if (w === 'present') return broken('present-enoent');
      return undefined;
    case 'dirfd':
      if (removedSince(op.tag, op.s0)) return broken('stale-dirfd');
      if (op.exact && cycleOf(op.s0) === op.tag && w === 'present') return broken('present-enoent');
      return undefined;
    case 'write':
      return removedSince(op.tag, op.s0) ? broken('write-after-removal') : undefined;
    case 'listing':
      return w === 'absent' ? broken('listed-after-removal') : undefined;
  }
}

/** The verdict over a trace: the first op that breaks a rule (the C program stops there). */
export function firstViolation(
  rules: readonly RaceRule[],
  trace: readonly TraceOp[],
): { index: number; rule: RaceRule } | undefined {
  for (const [index, op] of trace.entries()) {
    const rule = judge(rules, op);
    if (rule) return { index, rule };
  }
  return undefined;
}
