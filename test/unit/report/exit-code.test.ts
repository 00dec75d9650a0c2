// SPDX-License-Identifier: GPL-2.0-only
import { describe, it, expect } from 'vitest';
import { exitCodeFor, exitCodeForAll } from '../../../src/report/exit-code.js';
import { pass, skip, fail, unresolved, report } from './fixtures.js';

describe('exit codes (kselftest)', () => {
  it('0 when every applicable result passed, skips allowed', () => {
    expect(exitCodeFor(report([pass, skip]))).toBe(0);
  });
  it('1 on a FAIL or an UNRESOLVED', () => {
    expect(exitCodeFor(report([pass, fail]))).toBe(1);
    expect(exitCodeFor(report([pass, unresolved, skip]))).toBe(1);
  });
  it('4 when nothing was runnable', () => {
    expect(exitCodeFor(report([skip, skip]))).toBe(4);
    expect(exitCodeFor(report([]))).toBe(4);
    expect(exitCodeFor([])).toBe(4);
  });
  it('1 when the run was cut short, even if what ran passed', () => {
    expect(exitCodeFor(report([pass], { interrupted: 'SIGINT' }))).toBe(1);
    expect(exitCodeFor(report([], { interrupted: 'SIGTERM' }))).toBe(1);
  });
  it("2 when only the tool's own failures (ERROR with a fault) failed; a real failure beside them wins with 1", () => {
    const fault = {
      code: 'EMFILE',
      cause: 'worker 0: openat(/t/events/g): EMFILE',
      fix: 'raise the fd limit: ulimit -n 200',
    };
    const tool = { ...unresolved, fault };
    expect(exitCodeFor(report([pass, tool, skip]))).toBe(2);
    expect(exitCodeFor(report([tool, fail]))).toBe(1);
    expect(exitCodeFor(report([tool, unresolved]))).toBe(1);
    // A health FAIL on top of a fault is the kernel's: 1.
    expect(exitCodeFor(report([{ ...tool, status: 'FAIL' }]))).toBe(1);
    expect(exitCodeForAll([report([pass]), report([tool])])).toBe(2);
    expect(exitCodeForAll([report([fail]), report([tool])])).toBe(1);
  });
  it('combines several runs', () => {
    expect(exitCodeForAll([report([pass]), report([skip])])).toBe(0);
    expect(exitCodeForAll([report([pass]), report([fail])])).toBe(1);
    expect(exitCodeForAll([report([skip]), report([])])).toBe(4);
    expect(exitCodeForAll([])).toBe(4);
  });
});
