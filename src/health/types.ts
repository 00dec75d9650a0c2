// SPDX-License-Identifier: GPL-2.0-only
// What the kernel-health oracle reports for one scenario; report/ renders it.

/** What the kernel-health oracle saw change across one scenario. */
export interface HealthDelta {
  ok: boolean;
  oopsCount?: { before: number; after: number };
  warnCount?: { before: number; after: number };
  /** letters: the taint after (kernel letters, '' if none); gained: letters newly set during the scenario. */
  taint?: { before: number; after: number; letters: string; gained?: string };
  /** /dev/kmsg records matching BUG:, KASAN:, WARNING:, Oops, ... plus the lines that followed each. */
  kernelLines: string[];
  /** What the oracle could not watch (not root, no counters on this kernel) or had to guess. */
  notes?: string[];
}
