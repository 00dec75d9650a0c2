// SPDX-License-Identifier: GPL-2.0-only
// The kernel's own tallies of trouble. oops_count and warn_count appeared in
// 6.2 (6.1 has neither), so an absent file is a normal answer: undefined.
// No file I/O here, so unit tests run without the native addon.
export const COUNTER_PATHS = {
  oops: '/sys/kernel/oops_count',
  warn: '/sys/kernel/warn_count',
  taint: '/proc/sys/kernel/tainted',
} as const;

export type CounterName = keyof typeof COUNTER_PATHS;

export interface Counters {
  oops?: number;
  warn?: number;
  taint?: number;
  /** Why a counter is undefined, one line each (e.g. "/sys/kernel/warn_count: ENOENT"). */
  unavailable: string[];
}

/** A counter file's text ("3\n") to a number; anything else is undefined, never NaN. */
export function parseCounter(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Returns the file's text, or a reason it could not be read. */
export type FileReader = (path: string) => { text: string } | { error: string };

/** Pure given `read`; system.ts passes the addon-backed reader. */
export function readCounters(read: FileReader, paths = COUNTER_PATHS): Counters {
  const out: Counters = { unavailable: [] };
  for (const name of Object.keys(paths) as CounterName[]) {
    const r = read(paths[name]);
    if ('error' in r) {
      out.unavailable.push(`${paths[name]}: ${r.error}`);
      continue;
    }
    const n = parseCounter(r.text);
    if (n === undefined) out.unavailable.push(`${paths[name]}: unparsable ${JSON.stringify(r.text.slice(0, 40))}`);
    else out[name] = n;
  }
  return out;
}
