// SPDX-License-Identifier: GPL-2.0-only
// The bottom of the import graph: the errors every layer may throw and the
// exit codes they become. Nothing here imports anything of ours.
//
// Exit codes are kselftest's, which kernel CI already understands.

export const EXIT = {
  /** Every applicable scenario passed (or failed as expected). */
  ok: 0,
  /** A FAIL, UNRESOLVED or XPASS, a kernel failure, or a run cut short. */
  failed: 1,
  /** Bad input, or an environment this tool cannot run in; nothing was written to tracefs. */
  usage: 2,
  /** kselftest's skip code: nothing could run (every variant skipped, or the kernel lacks what was asked for). */
  skip: 4,
  /** Interrupted by SIGHUP / SIGINT / SIGTERM (128 + the signal, as shells report it). */
  sighup: 129,
  sigint: 130,
  sigterm: 143,
} as const;

/** The signals that stop a run with its teardown: a closed terminal (SIGHUP) as much as ^C or kill. */
export const STOP_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;

/** The exit code for a run stopped by `signal` (SIGINT's for anything else). */
export function exitForSignal(signal: unknown): ExitCode {
  return signal === 'SIGHUP' ? EXIT.sighup : signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
}

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad input from the user: one line naming the problem and the fix. Exit 2. */
export class UsageError extends Error {
  readonly exitCode: ExitCode = EXIT.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The machine can't do what was asked, though the input was fine (not root,
 * no tracefs, a tool missing, a download that failed): one line naming the
 * problem and the fix. Exit 2 as well, so callers tell them apart by class.
 */
export class EnvironmentError extends Error {
  readonly exitCode: ExitCode = EXIT.usage;
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

/**
 * A program run for the user failed (make, git): what ran, its exit status,
 * and its own words (the tail of its log) in the message. An EnvironmentError
 * (exit 2, no stack): the input was taken, but the tree or the machine's tools
 * could not do it, and what they printed says why.
 */
export class CommandError extends EnvironmentError {
  constructor(
    readonly command: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/**
 * Nothing asked for can run because the kernel lacks a feature (no tracefs,
 * no events of the --probe kind asked for): kselftest's skip, exit 4, so a
 * `make run_tests` on a kernel without the feature configured is not a failure.
 */
export class KernelFeatureError extends Error {
  readonly exitCode: ExitCode = EXIT.skip;
  constructor(message: string) {
    super(message);
    this.name = 'KernelFeatureError';
  }
}

/** An error the CLI prints as one line (no stack) and exits with its code. */
export function isReportedError(e: unknown): e is UsageError | EnvironmentError | KernelFeatureError {
  return e instanceof UsageError || e instanceof EnvironmentError || e instanceof KernelFeatureError;
}

/**
 * What the CLI says of an error that reached it, and its exit code: a reported
 * error's message and code; anything else is a bug, "internal error" with the
 * stack (exit 1), so it is told apart from a failure the user can fix.
 */
export function errorReport(e: unknown): { text: string; code: ExitCode } {
  if (isReportedError(e)) return { text: `tracefs-regress: ${e.message}\n`, code: e.exitCode };
  return {
    text: `tracefs-regress: internal error: ${(e as Error | null | undefined)?.stack ?? String(e)}\n`,
    code: EXIT.failed,
  };
}
