// Option parsers shared by the commands. Each throws a UsageError naming the
// problem and the fix (exit 2) before anything touches tracefs.
import os from 'node:os';
import { UsageError } from '../errors.js';
import { OutputFile } from './output.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
export const MAX_DURATION_MS = 24 * 3_600_000;
export const MAX_THREADS = 64;

/** "3s", "500ms", "2m", "1h", or plain seconds ("3"). */
export function parseDuration(text: string, flag = '--duration'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} '${text}' is not a duration: use e.g. 3s, 500ms, 2m or 1h`);
  const ms = Math.round(Number(m[1]) * UNITS[m[2] ?? 's']!);
  if (ms <= 0) throw new UsageError(`${flag} '${text}' must be more than zero`);
  if (ms > MAX_DURATION_MS) throw new UsageError(`${flag} '${text}' is over a day: use 24h or less`);
  return ms;
}

/**
 * Race workers: default online CPUs (at most 64). Measured, not guessed: in
 * 3-vCPU guests 2x and 4x as many workers caught the 6.18 eventfs_iterate
 * oops no more often than one per CPU (README "Defaults, measured"); the
 * engine keeps its create/remove rate with more (native/race/engine.cc).
 */
export function parseThreads(text: string | undefined): number {
  if (text === undefined) return Math.min(os.availableParallelism(), MAX_THREADS);
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--threads '${text}' is not a whole number: use 1 to ${MAX_THREADS}`);
  const n = Number(text);
  if (n < 1 || n > MAX_THREADS) throw new UsageError(`--threads ${n} is out of range: use 1 to ${MAX_THREADS}`);
  return n;
}

/**
 * Fails now, not after a long run, when the report cannot be written there:
 * OutputFile.open's checks (a regular file on storage, writable), then the
 * file is left as it was (removed again if the check created it). `run` keeps
 * the OutputFile open instead; `vm` checks with this.
 */
export function checkOutputWritable(file: string, flag = '--output'): void {
  OutputFile.open(file, flag, { truncate: false }).discard();
}

/** Accumulates a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
