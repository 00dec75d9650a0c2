// SPDX-License-Identifier: GPL-2.0-only
// The race engine's public types: what a race does (RaceConfig), what it
// saw (RaceStats), and each broken expectation (Violation).
// The config's types and the op names are the engine's wire contract,
// declared once with the parameter table (src/native/race-params.ts).
import type { OpKind } from '../native/race-params.js';
import type { NativeFdBudget, NativeResourceError, NativeViolation, PhaseName } from '../native/types.js';

export type { OpKind, RaceAction, RaceConfig, RaceWeights } from '../native/race-params.js';
export { OP_KINDS } from '../native/race-params.js';

export type { PhaseName };

/** A NativeViolation as reports show it: the controller named, times in microseconds. */
export interface Violation extends Omit<NativeViolation, 'thread' | 'startNs' | 'endNs'> {
  /** Worker index, or 'controller'. */
  thread: number | 'controller';
  /** Microseconds since the start of the run. */
  startUs: number;
  endUs: number;
}

export interface Latency {
  count: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

export type PhaseClass = 'present' | 'absent' | 'transition';

export interface OpStats {
  count: number;
  perSec: number;
  /** errno name ('OK' for success) -> count, by the phase the op ran in ('transition': it straddled a change or ran during a create/remove step). */
  errnos: Record<PhaseClass, Record<string, number>>;
}

export interface RaceStats {
  stopReason: 'duration' | 'cycles' | 'stopped' | 'error';
  /** Why a create or remove step failed (the run stopped). */
  error?: string;
  elapsedMs: number;
  threads: number;
  /** Create/remove cycles: the race's figure of merit (each removal is one chance to hit the window). */
  cycles: number;
  cyclesPerSec: number;
  /** Workers that never stepped aside from the controller's steps. */
  racers: number;
  /** Times the other workers stepped aside from a create or remove step. */
  stepAsides: number;
  /**
   * fds held in the workers' rings (dirfds and enable fds from earlier
   * generations) at the end. A ring slot is never emptied once filled, so no
   * moment of the run held more: the soak's bound on the run's tracefs fds.
   */
  heldFds: number;
  /** What the run needed in fds (beside those open at its start), those open, and the limit. */
  fdBudget?: NativeFdBudget;
  /**
   * The run stopped on the tool's own failure (out of fds or memory, a thread
   * it could not create, a foreign mount under the tracefs root): never a
   * violation; the variant is ERROR (src/race/resource.ts).
   */
  resourceError?: NativeResourceError;
  /** The controller thread's nice value: -20 when boosted (workers beyond the racers), else 0. */
  controllerNice: number;
  /** Why the boost failed (e.g. 'setpriority(2) failed, EPERM'): the run went on at nice 0. */
  controllerBoostError?: string;
  totalOps: number;
  opsPerSec: number;
  ops: Record<OpKind, OpStats>;
  createLatency: Latency;
  removeLatency: Latency;
  /** Removal attempts that got EBUSY and were retried after the onBusy actions. */
  busyRetries: number;
  busyChecks: number;
  dropCaches: number;
  dropCachesErrors: number;
  violationCount: number;
  /** The first 100 in full. */
  violations: Violation[];
  /** Every violation counted by rule, including those not kept in full. */
  violationsByRule: Record<string, number>;
}

/**
 * How hard a race tried, as every report shows it. Cycles are the figure of
 * merit: each create/remove cycle is a removal the workers can race against,
 * and many threads can raise ops while starving the cycles.
 */
export interface RaceSummary {
  /** Could two workers' syscalls run at the same instant here? */
  overlap: boolean;
  /** Why (or why not), e.g. "single-threaded TCG guest: its 2 vCPUs take turns on one host thread". */
  overlapWhy: string;
  /** CPUs this process could run on (the guest's vCPUs in a VM). */
  cpus: number;
  threads: number;
  cycles: number;
  /** Rounded to 0.1. */
  cyclesPerSec: number;
  ops: number;
  /** Rounded to 1. */
  opsPerSec: number;
}

export interface RaceProgress {
  elapsedMs: number;
  cycles: number;
  ops: number;
  violations: number;
  opsPerSec: number;
  cyclesPerSec: number;
}

export interface RunRaceOptions {
  signal?: AbortSignal;
  onProgress?: (p: RaceProgress) => void;
}
