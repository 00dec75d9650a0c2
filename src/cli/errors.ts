// Errors the CLI turns into exit codes. A UsageError is bad input or an
// environment this tool cannot run in: one line naming the problem and the fix.

export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** kselftest's skip code: nothing could run. */
  skip: 4,
} as const;
