// SPDX-License-Identifier: GPL-2.0-only
// startHealthWatch(): the kernel-health oracle on this machine's real files.
// The logic is in oracle.ts; this file only binds it to the addon-backed readers.
import { native, readText, isErr } from '../native/index.js';
import { readCounters, type FileReader } from './counters.js';
import { KmsgReader } from './kmsg-reader.js';
import type { ScanLimits } from './kmsg.js';
import { createHealthWatch, type HealthSources, type HealthWatch } from './oracle.js';

export const readFileNative: FileReader = (path) => {
  const r = readText(native, path);
  return isErr(r) ? { error: r.code } : { text: r };
};

export const systemSources: HealthSources = {
  readCounters: () => readCounters(readFileNative),
  openKmsg: () => KmsgReader.open(),
};

/**
 * Opens /dev/kmsg at its end and reads the counters once. Call snapshot() before
 * each scenario and delta() after it; close() at the end of the run.
 */
export function startHealthWatch(opts: { sources?: Partial<HealthSources>; limits?: ScanLimits } = {}): HealthWatch {
  return createHealthWatch({ ...systemSources, ...opts.sources }, opts.limits);
}
