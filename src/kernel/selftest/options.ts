// SPDX-License-Identifier: GPL-2.0-only
// `kernel selftest`'s options, checked before anything builds or boots: a bad
// value is a UsageError (exit 2) naming the fix, not a default in disguise.
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { cacheRoot } from '../../host/paths.js';
import { parseVmTimeout } from '../../vm/options.js';

/** As commander hands them over (strings, flags). */
export interface SelftestFlags {
  kasan?: boolean;
  only: string[];
  /** false with --no-ftracetest. */
  ftracetest?: boolean;
  ftracetestOnly?: boolean;
  /** false with --no-bisect. */
  bisect?: boolean;
  bisectOnly?: boolean;
  timeout: string;
  raceRuns: string;
  out?: string;
  /** false with --no-repro. */
  repro?: boolean;
}

export interface SelftestOptions {
  kasan: boolean;
  /** Mutant names to run (besides the clean kernel); empty: all. */
  only: string[];
  /** Run the tracefs-regress suite on every kernel (off with --ftracetest-only). */
  suite: boolean;
  /** Run ftracetest on every kernel (off with --no-ftracetest). */
  ftracetest: boolean;
  /** Bisect the synthetic history (off with --no-bisect); alone with --bisect-only. */
  bisect: boolean;
  /** Build the clean kernel and the mutants (not needed by --bisect-only). */
  builds: boolean;
  /** Time per guest, as given (`20m`, `1200`; the vm command parses it again). */
  timeout: string;
  timeoutS: number;
  /** Boots per race-only mutant; each must catch it. */
  raceRuns: number;
  outDir: string;
  /** Generate, build and run the C reproducers (off with --no-repro; needs the suite). */
  repro: boolean;
  /** Debian 6.1 joins the reproducer step (its known WARN in fd-across-removal). */
  repro61: boolean;
}

export const DEFAULT_TIMEOUT_S = 1200;
/** As help shows it (util/time.ts's syntax). */
export const DEFAULT_TIMEOUT = '20m';
export const DEFAULT_RACE_RUNS = 3;
export const MAX_RACE_RUNS = 50;

/** Results of a run go here unless --out says otherwise: one directory per run, named by its start. */
export function defaultOutDir(now: Date = new Date()): string {
  return path.join(cacheRoot(), 'selftest', now.toISOString().replace(/[:.]/g, '-'));
}

export function parseSelftestOptions(f: SelftestFlags, mutantNames: readonly string[], now?: Date): SelftestOptions {
  const raceRuns = Number(f.raceRuns);
  if (!/^\d+$/.test(f.raceRuns.trim()) || raceRuns < 1 || raceRuns > MAX_RACE_RUNS) {
    throw new UsageError(`--race-runs ${f.raceRuns}: use a whole number from 1 to ${MAX_RACE_RUNS}`);
  }
  // The same syntax and limit as `vm --timeout`, which gets the text as given.
  const timeoutS = parseVmTimeout(f.timeout) / 1000;
  if (f.bisectOnly && f.ftracetestOnly) throw new UsageError('--bisect-only and --ftracetest-only exclude each other: give one of them');
  const ftracetest = f.ftracetest !== false && !f.bisectOnly;
  if (f.ftracetestOnly && f.ftracetest === false) throw new UsageError('--ftracetest-only and --no-ftracetest leave nothing to run: give one of them');
  if (f.bisectOnly && f.bisect === false) throw new UsageError('--bisect-only and --no-bisect leave nothing to run: give one of them');
  const unknown = f.only.filter((n) => !mutantNames.includes(n));
  if (unknown.length) throw new UsageError(`--only ${unknown.join(', ')}: no such mutant; the mutants are ${mutantNames.join(', ')}`);
  return {
    kasan: !!f.kasan,
    only: f.only,
    suite: !f.ftracetestOnly && !f.bisectOnly,
    ftracetest,
    bisect: f.bisect !== false && !f.ftracetestOnly,
    builds: !f.bisectOnly,
    timeout: f.timeout,
    timeoutS,
    raceRuns,
    outDir: f.out ?? defaultOutDir(now),
    repro: f.repro !== false && !f.ftracetestOnly,
    repro61: f.repro !== false && !f.ftracetestOnly,
  };
}
