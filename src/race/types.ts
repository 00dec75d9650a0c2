// The race engine's public types: what a race does (RaceConfig), what it
// saw (RaceStats), and each broken expectation (Violation).
import type { NativeRaceAction } from '../native/types.js';

/**
 * One step of the controller's create or remove list. `write` opens `path`
 * (O_WRONLY|O_APPEND unless `flags`) and writes `line` in one write(2);
 * `keepOpen` keeps that fd for the whole run (control files). On EBUSY the
 * `onBusy` actions run (errors ignored) and the action is retried.
 */
export type RaceAction = NativeRaceAction;

export const OP_KINDS = [
  'open-read',
  'enable-write',
  'stat',
  'openat',
  'fstatat',
  'getdents',
  'held-write',
  'list-stat',
  'dirfd-open',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

/**
 * Relative weights of the ops a worker picks. Given weights are the whole
 * mix (ops not named are left out); without them: openRead 4, enableWrite 1,
 * stat 2, openat 2, fstatat 2, getdents 1. Ops without a target drop out.
 */
export interface RaceWeights {
  openRead?: number;
  enableWrite?: number;
  stat?: number;
  openat?: number;
  fstatat?: number;
  getdents?: number;
  /** Write 0/1 through enable fds held from earlier generations (tracefs only: plain files accept it). */
  heldWrite?: number;
}

export interface RaceConfig {
  /** Worker threads, 1..64; default: online CPUs. */
  threads?: number;
  /** Run time; 0 runs until stopped or maxCycles. Default 3000. At most a day. */
  durationMs?: number;
  /** Stop after this many create/remove cycles (0: unbounded). */
  maxCycles?: number;
  create: RaceAction[];
  /** Must take away every path below (the absent-phase rules assume it). */
  remove: RaceAction[];
  /** Files to open+read+close and stat. */
  files?: string[];
  /** The enable file workers write "0"/"1" to. */
  enable?: string;
  /** Directories whose fds workers hold across generations, and names to reach through them. */
  dirs?: { path: string; names: string[] }[];
  /** getdents64 of dir, then stat of every entry; `name` is the entry the remove step takes away. */
  list?: { dir: string; name: string };
  weights?: RaceWeights;
  /** Sleep after the create step returned (the present phase), microseconds. */
  dwellPresentUs?: number;
  /** Sleep after the removal returned (the absent phase), microseconds. */
  dwellAbsentUs?: number;
  /** Write 6 to drop_caches every K cycles (in the absent phase). */
  dropCachesEvery?: number;
  /** Write 6 to drop_caches from its own thread every N ms (0: back to back). */
  dropCachesIntervalMs?: number;
  /** Default /proc/sys/vm/drop_caches; tests point it at a plain file. */
  dropCachesPath?: string;
  /** Every K cycles the controller enables the event and checks that removal gives EBUSY. */
  busyCheckEvery?: number;
  /** Progress snapshot period; default 1000, 0: none. */
  progressMs?: number;
  /** Dirfds each worker holds per dir (slot 0 keeps the first generation); default 8. */
  heldDirfds?: number;
  maxBusyRetries?: number;
  /**
   * Workers that keep starting ops while the controller creates or removes
   * (the rest step aside, so the writes are not starved as threads grow);
   * -1 (default): one per online CPU. See native/race/engine.cc.
   */
  racers?: number;
  /** Longest a worker steps aside from one create or remove step, microseconds; default 2000, 0: never. */
  stepAsideUs?: number;
}

export type PhaseName = 'creating' | 'present' | 'removing' | 'absent';

export interface Violation {
  /** Worker index, or 'controller'. */
  thread: number | 'controller';
  /** absent-not-enoent | present-enoent | stale-dirfd | write-after-removal | listed-after-removal | remove-while-enabled */
  rule: string;
  op: string;
  path: string;
  expected: string;
  /** 'success' or an errno name. */
  got: string;
  cycle: number;
  /** The generation counter (odd while absent) before and after the op. */
  generationBefore: number;
  generationAfter: number;
  phaseBefore: PhaseName;
  phaseAfter: PhaseName;
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
