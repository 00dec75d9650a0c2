// SPDX-License-Identifier: GPL-2.0-only
// A finding made small: repro/ddmin.ts over the program's actions, each
// candidate run against the same kernel with fresh names; a candidate keeps
// the failure when it breaks the same rule (the same call failing the same
// expectation, or the kernel's health again). Programs address fds by the
// index of the action that opened them, so a candidate is renumbered, and an
// action whose fd's opener was dropped goes too (as the C emitter drops it).
import { ddmin, type Budget } from '../repro/ddmin.js';
import { subProgram } from './fd-links.js';
import type { Execution, Explorer, ModelViolation, Program } from './types.js';

/** Replays at most, or seconds: a TCG guest runs a program in tens of milliseconds to seconds. */
export const SHRINK_BUDGET: Budget = { maxAttempts: 200, maxMs: 120_000 };

export interface Shrunk {
  program: Program;
  /** The last run of `program`: its violations name the shrunk program's actions. */
  execution: Execution;
  attempts: number;
  /** 1-minimal: no single action can go. */
  complete: boolean;
}

/** What a violation breaks, without its run's names: the call and the expectation (or the kernel's health). */
export function ruleOf(p: Program, v: ModelViolation): string {
  const a = p.actions[v.action];
  const what = a ? (a.kind === 'call' ? a.call : 'race') : 'program';
  return `${what}|${v.op.split(' ')[0]}|${v.expected}`;
}

/** The rules a finding broke, each once: its identity when --keep-going meets it again (twice in one program too). */
export function ruleKey(p: Program, violations: readonly ModelViolation[]): string {
  return [...new Set(violations.map((v) => ruleOf(p, v)))].sort().join(';');
}

/** True when e breaks a rule the original broke. */
export function sameFailure(original: Program, was: Execution, candidate: Program, e: Execution): boolean {
  const rules = new Set(was.violations.map((v) => ruleOf(original, v)));
  return e.violations.some((v) => rules.has(ruleOf(candidate, v)));
}

export async function shrinkFinding(
  p: Program,
  e: Execution,
  explorer: Pick<Explorer, 'execute'>,
  signal?: AbortSignal,
  budget: Budget = SHRINK_BUDGET,
): Promise<Shrunk | undefined> {
  let last: { program: Program; execution: Execution } | undefined;
  const r = await ddmin(
    p.actions.map((_, i) => i),
    async (keep) => {
      if (signal?.aborted) return 'stop';
      const cand = subProgram(p, keep);
      if (!cand.actions.length) return false;
      const ce = await explorer.execute(cand, signal);
      const fails = sameFailure(p, e, cand, ce);
      if (fails && (!last || cand.actions.length <= last.program.actions.length))
        last = { program: cand, execution: ce };
      return fails;
    },
    budget,
  );
  if (r.unreproducible || !last) return undefined;
  return { ...last, attempts: r.attempts, complete: r.complete };
}
