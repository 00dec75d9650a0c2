// SPDX-License-Identifier: GPL-2.0-only
// Collects what a scenario checked and every divergence from a correct
// kernel, as evidence (op, path, expected, got). Results stay data: a failing
// syscall is compared, never thrown.
import { isErr, type Result } from '../native/index.js';
import type { JudgedCheck as Check, JudgeHook, ScenarioOutcome } from './types.js';
import type { Evidence } from '../model.js';
import { isToolErrno, throwIfToolErrno } from '../tool-fault.js';

export interface ChecksOptions {
  /** Sees each failed expectation with the result it judged (a recording: src/repro/record.ts). */
  onJudged?: JudgeHook;
  /** Test hook (ScenarioTestHooks.invertCheck): the check (op, or `#N`) to invert. */
  invertCheck?: string;
}

function describe(r: Result<unknown>): string {
  if (isErr(r)) return r.code;
  if (Buffer.isBuffer(r)) return `success (${r.length} bytes)`;
  if (Array.isArray(r)) return `success (${r.length} entries)`;
  if (typeof r === 'number') return `success (${r})`;
  return 'success';
}

export class Checks {
  checks = 0;
  readonly evidence: Evidence[] = [];
  readonly notes: string[] = [];
  private readonly inverted: string | undefined;
  private readonly onJudged: JudgeHook | undefined;

  constructor(opts: ChecksOptions = {}) {
    this.inverted = opts.invertCheck;
    this.onJudged = opts.onJudged;
  }

  private invert(op: string): boolean {
    return op === this.inverted || this.inverted === `#${this.checks}`;
  }

  /** Evidence of a failed expectation; a recording (run --repro-dir) ties it to the call it judged. */
  private failed(ev: Evidence, check: Check, r?: unknown): false {
    this.evidence.push(ev);
    this.onJudged?.(ev, check, r);
    return false;
  }

  /**
   * Out of fds or memory, or a foreign mount under the root, where the check
   * wants something else: the tool's failure, so the scenario stops (ERROR)
   * instead of recording the kernel as wrong.
   */
  private toolFault(op: string, path: string, r: Result<unknown>, codes: readonly string[] = []): void {
    if (isErr(r) && isToolErrno(r.code) && !codes.includes(r.code)) throwIfToolErrno(`${op} ${path}`.trim(), r);
  }

  /** The call must fail with one of these errno codes. */
  fails(op: string, path: string, r: Result<unknown>, ...codes: string[]): boolean {
    this.checks++;
    this.toolFault(op, path, r, codes);
    if (this.invert(op)) {
      return !isErr(r) || this.failed({ op, path, expected: 'success', got: r.code }, { kind: 'success' }, r);
    }
    if (isErr(r) && codes.includes(r.code)) return true;
    return this.failed({ op, path, expected: codes.join(' or '), got: describe(r) }, { kind: 'errno', codes }, r);
  }

  /** The call must succeed. */
  succeeds<T>(op: string, path: string, r: Result<T>): r is T {
    this.checks++;
    this.toolFault(op, path, r);
    if (this.invert(op)) {
      // Inverted, a success is the violation; the caller still gets its value.
      if (!isErr(r)) this.failed({ op, path, expected: 'an error', got: describe(r) }, { kind: 'error' }, r);
      return !isErr(r);
    }
    if (!isErr(r)) return true;
    return this.failed({ op, path, expected: 'success', got: r.code }, { kind: 'success' }, r);
  }

  /** A plain condition with its own wording. */
  that(cond: boolean, op: string, path: string, expected: string, got: string): boolean {
    this.checks++;
    if (!cond) this.failed({ op, path, expected, got }, { kind: 'that' });
    return cond;
  }

  note(s: string): void {
    this.notes.push(s);
  }

  /**
   * A step the scenario cannot go on without. Failing, it ends the scenario
   * with a SetupError that keeps what was found so far: after a divergence,
   * the broken step is the kernel's doing too (FAIL, with the evidence);
   * before any, the scenario could not be set up (UNRESOLVED).
   */
  must<T>(what: string, r: Result<T>): T {
    this.toolFault(what, '', r);
    if (isErr(r)) throw new SetupError(`${what}: ${r.syscall} ${r.code}`, this);
    return r;
  }

  outcome(): ScenarioOutcome {
    return {
      status: this.evidence.length === 0 ? 'PASS' : 'FAIL',
      evidence: this.evidence,
      checks: this.checks,
      ...(this.notes.length ? { notes: this.notes } : {}),
    };
  }
}

/** Thrown when setup fails (the kernel refused to create our probe): the scenario is UNRESOLVED. */
export class SetupError extends Error {
  override name = 'SetupError';
  constructor(
    message: string,
    /** The checks made before the step broke, when the scenario had any. */
    readonly found?: Checks,
  ) {
    super(message);
  }

  /** FAIL with the evidence found before the step broke, or UNRESOLVED when there was none. */
  outcome(): ScenarioOutcome {
    const exp = this.found;
    if (!exp || exp.evidence.length === 0) {
      return { status: 'UNRESOLVED', reason: this.message, evidence: [], checks: exp?.checks ?? 0 };
    }
    return {
      ...exp.outcome(),
      reason: `stopped early: ${this.message}`,
      evidence: [...exp.evidence, { op: 'step the scenario needed', path: '', expected: 'success', got: this.message }],
    };
  }
}
