// SPDX-License-Identifier: GPL-2.0-only
// Whether a process exists, for deciding what a dead owner left behind.

/** True when pid names a live process (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
