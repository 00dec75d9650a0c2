// SPDX-License-Identifier: GPL-2.0-only
// Option parsers shared by the commands. Each throws a UsageError naming the
// problem and the fix (exit 2) before anything touches tracefs.
import os from 'node:os';
import { Option } from 'commander';
import { UsageError } from '../errors.js';
// Limits from the race parameter table (which loads no addon).
import { MAX_DURATION_MS, RACE_PARAMS } from '../native/race-params.js';
import { MAX_REPEAT, type RepeatPlan } from '../report/repeat.js';
import { parseTime } from '../util/time.js';

const { min: MIN_THREADS, max: MAX_THREADS } = RACE_PARAMS.threads;

/** "3s", "500ms", "2m", "1h", or plain seconds ("3"): util/time.ts's syntax, at most a day. */
export function parseDuration(text: string, flag = '--duration'): number {
  return parseTime(text, { flag, maxMs: MAX_DURATION_MS, maxText: '24h' });
}

/**
 * Race workers: default online CPUs (at most 64). Measured, not guessed: in
 * 3-vCPU guests 2x and 4x as many workers caught the 6.18 eventfs_iterate
 * oops no more often than one per CPU (docs/measurements.md, "Defaults, measured"); the
 * engine keeps its create/remove rate with more (native/race/engine.cc).
 */
export function parseThreads(text: string | undefined): number {
  if (text === undefined) return Math.min(os.availableParallelism(), MAX_THREADS);
  if (!/^\d+$/.test(text.trim()))
    throw new UsageError(`--threads '${text}' is not a whole number: use ${MIN_THREADS} to ${MAX_THREADS}`);
  const n = Number(text);
  if (n < MIN_THREADS || n > MAX_THREADS)
    throw new UsageError(`--threads ${n} is out of range: use ${MIN_THREADS} to ${MAX_THREADS}`);
  return n;
}

/** A repeatable option (collected into an array); help shows its default once, in words. */
export function repeatable(flags: string, description: string, defaultText = 'none'): Option {
  return new Option(flags, description).argParser(collect).default([], defaultText);
}

/** Accumulates a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * --repeat N and --until-fail -> how many iterations at most and whether to stop at
 * the first failing one; undefined when neither is given (a single, unchanged run).
 * A bare --until-fail is capped at MAX_REPEAT; with --repeat N it stops after N.
 */
export function parseRepeat(text: string | undefined, untilFail = false): RepeatPlan | undefined {
  if (text === undefined) return untilFail ? { count: MAX_REPEAT, untilFail: true } : undefined;
  if (!/^\d+$/.test(text.trim()))
    throw new UsageError(
      `--repeat '${text}' is not a whole number: use 1 to ${MAX_REPEAT} iterations, e.g. --repeat 10`,
    );
  const n = Number(text.trim());
  if (n < 1 || n > MAX_REPEAT)
    throw new UsageError(`--repeat ${text.trim()} is out of range: use 1 to ${MAX_REPEAT} iterations`);
  return { count: n, untilFail };
}
