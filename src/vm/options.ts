// SPDX-License-Identifier: GPL-2.0-only
// The `vm` command's options as commander hands them over (strings, as typed).
// The VM runner owns this shape; cli/commands/vm.ts declares the flags for it.
import { parseTime } from '../util/time.js';

export interface VmOpts {
  kernel: string[];
  matrix?: string;
  modules?: string;
  append?: string;
  memory: string;
  cpus: string;
  timeout: string;
  keepLog?: string;
  tcg?: string;
  installDeps?: boolean;
  fetchOnly?: boolean;
  verbose?: boolean;
  /** `vm --exec PATH`: run this host program in the guest (the positional arguments are its own). */
  exec?: string;
  /** `vm --repro-dir DIR`: the guest's run writes C reproducers; they come back to DIR (DIR/<kernel> for several). */
  reproDir?: string;
  /** `vm --boots N`: each kernel booted N times, one report per boot. */
  boots?: string;
  /** `vm --shard i/n`: this job's share of the kernel x boot cells. */
  shard?: string;
  /** `vm --coverage DIR`: gcov data of a `kernel build --coverage` kernel to DIR/coverage.info and DIR/html/ (src/coverage/). */
  coverage?: string;
  /** Hidden, for tests: boot every kernel as a self-contained guest, as a vmlinuz-only release is (docs/vm-boot.md). */
  selfContained?: boolean;
}

/**
 * Guest CPUs by default. On a 2-core host, 3 vCPUs under multi-threaded TCG
 * caught the Debian 6.18 eventfs_iterate oops at about twice the rate of 2
 * vCPUs (4 were no better than 3): docs/measurements.md, "Defaults, measured".
 */
export const DEFAULT_VM_CPUS = 3;

/** `vm --timeout` (and `kernel selftest --timeout`): util/time.ts's syntax (`20m`; a bare number is seconds), at most a day. */
export function parseVmTimeout(text: string, flag = '--timeout'): number {
  return parseTime(text, { flag, maxMs: 86_400_000, maxText: '24h' });
}
