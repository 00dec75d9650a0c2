// Collects what a scenario checked and every divergence from a correct
// kernel, as evidence (op, path, expected, got). Results stay data: a failing
// syscall is compared, never thrown.
import { isErr, type Result } from '../native/index.js';
import type { ScenarioOutcome } from './types.js';
import type { Evidence } from '../model.js';

function describe(r: Result<unknown>): string {
  if (isErr(r)) return r.code;
  if (Buffer.isBuffer(r)) return `success (${r.length} bytes)`;
  if (Array.isArray(r)) return `success (${r.length} entries)`;
  if (typeof r === 'number') return `success (${r})`;
  return 'success';
}

export class Expect {
  checks = 0;
  readonly evidence: Evidence[] = [];
  readonly notes: string[] = [];

  /** The call must fail with one of these errno codes. */
  fails(op: string, path: string, r: Result<unknown>, ...codes: string[]): boolean {
    this.checks++;
    if (isErr(r) && codes.includes(r.code)) return true;
    this.evidence.push({ op, path, expected: codes.join(' or '), got: describe(r) });
    return false;
  }

  /** The call must succeed. */
  succeeds<T>(op: string, path: string, r: Result<T>): r is T {
    this.checks++;
    if (!isErr(r)) return true;
    this.evidence.push({ op, path, expected: 'success', got: r.code });
    return false;
  }

  /** A plain condition with its own wording. */
  that(cond: boolean, op: string, path: string, expected: string, got: string): boolean {
    this.checks++;
    if (!cond) this.evidence.push({ op, path, expected, got });
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
    readonly found?: Expect,
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
