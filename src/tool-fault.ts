// SPDX-License-Identifier: GPL-2.0-only
// The errnos that are the tool's problem, not the kernel's answer, and the
// line that fixes each. A scenario that meets one stops: its result is
// ERROR (UNRESOLVED with `fault`), never FAIL, and no reproducer is made.
import type { ToolFault } from './model.js';

/**
 * Out of fds (per process, system-wide), out of memory, or a path under the
 * tracefs root that crossed into another mount (the addon resolves tracefs
 * paths with RESOLVE_NO_XDEV: EXDEV is never tracefs's own answer).
 * EAGAIN is one only from thread creation, so it is not listed here.
 */
export const TOOL_ERRNOS: readonly string[] = ['EMFILE', 'ENFILE', 'ENOMEM', 'EXDEV'];

export function isToolErrno(code: string): boolean {
  return TOOL_ERRNOS.includes(code);
}

/** What fixes each code. `fdLine` replaces the EMFILE advice when the numbers are known. */
export function fixFor(code: string, opts: { fdLine?: string; tracefs?: string } = {}): string {
  switch (code) {
    case 'EMFILE':
      return opts.fdLine ?? 'raise the fd limit (ulimit -n) or lower --threads';
    case 'ENFILE':
      return "the system's file table is full: close files elsewhere or raise fs.file-max (sysctl -w fs.file-max=N)";
    case 'ENOMEM':
    case 'EAGAIN':
      return 'free memory or raise the address-space limit (ulimit -v), or lower --threads';
    case 'EXDEV':
      return (
        `something is mounted under the tracefs root${opts.tracefs ? ` ${opts.tracefs}` : ''}: ` +
        'unmount it (see /proc/self/mountinfo) or pass --tracefs a mount without one'
      );
    default:
      return 'see the cause';
  }
}

/** Thrown by a scenario's checks (src/scenarios/checks.ts) on a tool errno: the runner makes the variant ERROR. */
export class ToolFaultError extends Error {
  override name = 'ToolFaultError';
  constructor(readonly fault: ToolFault) {
    super(`${fault.cause} (the tool's failure, not the kernel's; fix: ${fault.fix})`);
  }
}

/** The reason line an ERROR result shows. */
export function faultReason(f: ToolFault): string {
  return `tool error, not a kernel verdict: ${f.cause}; fix: ${f.fix}`;
}

/** Throws a ToolFaultError when `r` is a failed call (a SysError) with a tool errno; `what` names the step. */
export function throwIfToolErrno(what: string, r: unknown): void {
  if (typeof r !== 'object' || r === null || !('code' in r) || typeof r.code !== 'string') return;
  if (!isToolErrno(r.code)) return;
  const syscall = 'syscall' in r && typeof r.syscall === 'string' ? `${r.syscall} ` : '';
  throw new ToolFaultError({ code: r.code, cause: `${what}: ${syscall}${r.code}`, fix: fixFor(r.code) });
}
