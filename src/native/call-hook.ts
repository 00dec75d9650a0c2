// The one tap on the syscall gateway: `run --repro-dir` records a scenario's
// native calls through it (src/repro/record.ts), and Expect says through it
// which result it judged. Unset, addon.ts hands out the addon's own functions
// untouched and Expect's note goes nowhere.
import type { Evidence } from '../model.js';

/** Sees each call made through `native`, after it returned. */
export type CallHook = (name: string, args: readonly unknown[], result: unknown) => void;

/** How Expect judged a result (src/scenarios/expect.ts). */
export type JudgedCheck =
  | { kind: 'errno'; codes: string[] }
  | { kind: 'success' }
  /** Any failure (a test hook's inverted `succeeds`). */
  | { kind: 'error' }
  /** exp.that(): a condition only the scenario knows. */
  | { kind: 'that' };

/** Sees each failed expectation with the result it judged (undefined for exp.that). */
export type JudgeHook = (ev: Evidence, check: JudgedCheck, result: unknown) => void;

let current: CallHook | undefined;
let judge: JudgeHook | undefined;

export function setCallHook(hook: CallHook | undefined, onJudged?: JudgeHook): void {
  current = hook;
  judge = hook ? onJudged : undefined;
}

export function callHook(): CallHook | undefined {
  return current;
}

/** Called by Expect for each failed expectation; nothing happens unless a recording runs. */
export function noteJudged(ev: Evidence, check: JudgedCheck, result?: unknown): void {
  judge?.(ev, check, result);
}
