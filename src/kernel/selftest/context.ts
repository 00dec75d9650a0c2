// SPDX-License-Identifier: GPL-2.0-only
// What every step of the self-test shares: the kernels and what each step
// learnt about them (written to summary.json as it is), where results go, how
// to log, and whether a signal asked the run to stop.
import os from 'node:os';
import type { RunReport } from '../../report/types.js';
import type { FtraceComparison, Verdict } from './tables.js';
import type { FtraceCase } from '../ftracetest.js';
import type { Mutant } from '../patches.js';
import type { SelftestOptions } from './options.js';
import type { RaceRun } from './verdict.js';
import { interruptScope, type InterruptScope } from '../../util/interrupt.js';

export interface SelftestKernel {
  /** clean, or the mutant's name; -kasan appended under --kasan. */
  name: string;
  mutant?: Mutant;
  patches: string[];
  build?: { bzImage: string; seconds: number; how: string; load: string; source: string };
  suite?: { exitCode: number | undefined; wallMs: number; vmLog: string[] };
  /** The suite's JSON report of the first boot (left out of summary.json). */
  report?: RunReport;
  verdict?: Verdict;
  raceRuns?: RaceRun[];
  raceLine?: string;
  ftrace?: { cases: FtraceCase[]; status: string; message?: string; wallMs: number; consoleFailures: string[] };
  ftraceVerdict?: FtraceComparison;
}

/** SIGINT/SIGTERM: the running guest is killed (its child gets `signal`), nothing else starts. */
export class Stopper {
  #scope: InterruptScope | undefined;
  constructor(private readonly say: (m: string) => void) {}
  install(): this {
    this.#scope = interruptScope({
      signals: ['SIGINT', 'SIGTERM'],
      onSignal: (sig) => this.say(`${sig}: stopping; the running guest is killed, nothing else starts`),
    });
    return this;
  }
  get stopping(): boolean {
    return this.#scope?.received !== undefined;
  }
  /** Aborted at the signal: the running child ends. */
  get signal(): AbortSignal | undefined {
    return this.#scope?.signal;
  }
  uninstall(): void {
    this.#scope?.dispose();
  }
}

export interface SelftestContext {
  /** The package root: bin/, test/mutants/. */
  root: string;
  opts: SelftestOptions;
  /** Ids of the race scenarios (a race-only mutant must leave all others passing). */
  raceIds: ReadonlySet<string>;
  say: (m: string) => void;
  stop: Stopper;
}

/** The host's load averages, for build lines: a slow build on a loaded machine is not a regression. */
export const loadAvg = (): string =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
