// SPDX-License-Identifier: GPL-2.0-only
// The kernel options a bug report quotes: those that decide whether the
// suite's probes exist at all, and the debugging options that decide what a
// kernel says when it goes wrong (a KASAN report, a list_del corruption, a
// lockdep splat, or nothing). A distribution config has ~10,000 lines and
// dozens of DEBUG_* ones (DEBUG_INFO_*, DEBUG_FS ...) that say nothing about
// memory safety, so the list is chosen, not a prefix match; KASAN's are all kept.
import { parseKconfig, renderConfigLine } from '../util/kconfig.js';
import type { KernelConfigLines } from './types.js';
import { REPORTED_TRACING_OPTIONS } from '../tracefs/feature-table.js';

/** In report order: the tracing options first (tracefs/feature-table.ts), then what catches memory, list and locking bugs. */
export const REPORTED_OPTIONS = [
  ...REPORTED_TRACING_OPTIONS,
  'PREEMPT_NONE',
  'PREEMPT_VOLUNTARY',
  'PREEMPT',
  'PREEMPT_DYNAMIC',
  'KASAN*',
  'KFENCE',
  'SLUB_DEBUG',
  'DEBUG_KERNEL',
  'DEBUG_LIST',
  'DEBUG_OBJECTS',
  'DEBUG_PAGEALLOC',
  'DEBUG_KMEMLEAK',
  'DEBUG_VM',
  'DEBUG_ATOMIC_SLEEP',
  'DEBUG_LOCK_ALLOC',
  'PROVE_LOCKING',
  'PROVE_RCU',
  'BUG_ON_DATA_CORRUPTION',
  'PANIC_ON_OOPS',
];

/** The reported options' lines, as kconfig writes them, in REPORTED_OPTIONS order; absent options are left out. */
export function reportedConfigLines(config: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const want of REPORTED_OPTIONS) {
    const names = want.endsWith('*')
      ? [...config.keys()].filter((n) => n.startsWith(want.slice(0, -1))).sort()
      : config.has(want)
        ? [want]
        : [];
    for (const name of names) out.push(renderConfigLine({ name, value: config.get(name)! }));
  }
  return out;
}

/**
 * The env.config block from a config keyed as src/tracefs/kernel.ts keys it
 * (CONFIG_X) or as util/kconfig.ts does (X); undefined without a config.
 */
export function reportedConfig(
  source: string | undefined,
  config: ReadonlyMap<string, string> | undefined,
): KernelConfigLines | undefined {
  if (!source || !config) return undefined;
  const bare = new Map([...config].map(([k, v]) => [k.replace(/^CONFIG_/, ''), v]));
  return { source, lines: reportedConfigLines(bare) };
}

/** The env.config block from a config file's text (the VM host reads the booted kernel's own config). */
export function reportedConfigFromText(source: string, text: string): KernelConfigLines {
  return { source, lines: reportedConfigLines(parseKconfig(text)) };
}
