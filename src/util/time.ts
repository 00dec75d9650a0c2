// SPDX-License-Identifier: GPL-2.0-only
// The one time syntax of every option that takes a length of time
// (--duration, --scenario-timeout, vm --timeout, kernel selftest --timeout):
// a number with a unit, `500ms`, `3s`, `20m`, `1h`. A bare number keeps the
// unit the option always had (seconds everywhere today), so scripts written
// for `--timeout 1200` still work.
import { UsageError } from '../errors.js';

export type TimeUnit = 'ms' | 's' | 'm' | 'h';

const UNIT_MS: Record<TimeUnit, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** What every time error names, so the user sees every accepted form once. */
export const TIME_FORMS = '500ms, 3s, 20m or 1h (a bare number is seconds)';

export interface TimeSpec {
  /** The option as the user typed it, for the message. */
  flag: string;
  /** Upper limit in ms, and how to say it. */
  maxMs?: number;
  maxText?: string;
}

/** "500ms", "3s", "20m", "1h", "1.5s", or a bare number of seconds; more than zero. */
export function parseTime(text: string, spec: TimeSpec): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${spec.flag} '${text}' is not a length of time: use ${TIME_FORMS}`);
  const ms = Math.round(Number(m[1]) * UNIT_MS[(m[2] as TimeUnit | undefined) ?? 's']);
  if (ms <= 0) throw new UsageError(`${spec.flag} '${text}' must be more than zero: use ${TIME_FORMS}`);
  if (spec.maxMs !== undefined && ms > spec.maxMs)
    throw new UsageError(`${spec.flag} '${text}' is too long: use ${spec.maxText ?? `${spec.maxMs}ms`} or less`);
  return ms;
}

/** The help text's note on the syntax, the same in every command. */
export const TIME_HELP = 'e.g. 500ms, 3s, 20m, 1h; a bare number is seconds';
