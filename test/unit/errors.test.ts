// SPDX-License-Identifier: GPL-2.0-only
// What the CLI prints for an error that reaches main (errorReport): one line
// and the documented exit code for a failure the user can fix, "internal
// error" with the stack only for a bug.
import { describe, expect, it } from 'vitest';
import {
  CommandError,
  EnvironmentError,
  errorReport,
  EXIT,
  isReportedError,
  KernelFeatureError,
  UsageError,
} from '../../src/errors.js';

describe('errorReport', () => {
  it('a usage error: its message on one line, exit 2, no stack', () => {
    const r = errorReport(new UsageError("--boots 'x': give a whole number of boots per release, 1 to 100"));
    expect(r).toEqual({
      text: "tracefs-regress: --boots 'x': give a whole number of boots per release, 1 to 100\n",
      code: EXIT.usage,
    });
  });

  it('an environment error: exit 2; a kernel feature missing: exit 4 (kselftest skip)', () => {
    expect(errorReport(new EnvironmentError('not root: run as root (sudo)'))).toEqual({
      text: 'tracefs-regress: not root: run as root (sudo)\n',
      code: 2,
    });
    expect(errorReport(new KernelFeatureError('no tracefs in /proc/filesystems')).code).toBe(EXIT.skip);
  });

  it("a failed command (make, git) is an environment error: its message and its program's last lines, exit 2, no stack", () => {
    const e = new CommandError('make bzImage', 2, 'make bzImage failed (exit 2); last lines of /b/build.log:\nError 1');
    expect(e).toBeInstanceOf(EnvironmentError);
    expect(e.name).toBe('CommandError');
    expect([e.command, e.status]).toEqual(['make bzImage', 2]);
    expect(isReportedError(e)).toBe(true);
    const r = errorReport(e);
    expect(r.code).toBe(EXIT.usage);
    expect(r.text).toBe('tracefs-regress: make bzImage failed (exit 2); last lines of /b/build.log:\nError 1\n');
    expect(r.text).not.toMatch(/internal error|\n\s+at /);
  });

  it('a plain Error is a bug: "internal error" with the stack, exit 1', () => {
    const e = new Error('internal: built the name "x" outside the run-name grammar');
    const r = errorReport(e);
    expect(r.code).toBe(EXIT.failed);
    expect(r.text).toBe(`tracefs-regress: internal error: ${e.stack}\n`);
    expect(r.text).toMatch(/\n\s+at /);
  });

  it('a thrown non-Error is a bug too, said as it is', () => {
    expect(errorReport('boom')).toEqual({ text: 'tracefs-regress: internal error: boom\n', code: 1 });
    expect(errorReport(undefined).text).toBe('tracefs-regress: internal error: undefined\n');
  });
});
