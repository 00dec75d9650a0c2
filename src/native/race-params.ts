// SPDX-License-Identifier: GPL-2.0-only
// The race engine's parameters, declared once (as rcutorture declares its
// module_params): name, type, default, limits and help. Everything else is
// derived from this file:
//  - RaceConfig and RaceWeights, the engine's wire contract (below);
//  - the TS validation with its messages (src/race/validate.ts);
//  - the CLI limits (src/cli/parse.ts);
//  - the C++ parser's table, native/race/params.gen.h (names, defaults,
//    limits, the op enum), rendered by ./render-race-params.ts:
//    `npm run gen:native` after any change here; a unit test fails until then.
// It imports nothing that loads the addon.

/**
 * One step of the controller's create or remove list. `write` opens `path`
 * (O_WRONLY|O_APPEND unless `flags`) and writes `line` in one write(2);
 * `keepOpen` keeps that fd for the whole run (control files). On EBUSY the
 * `onBusy` actions run (errors ignored) and the action is retried.
 */
export type RaceAction =
  | { kind: 'write'; path: string; line: string; flags?: number; keepOpen?: boolean; onBusy?: RaceAction[] }
  | { kind: 'mkdir' | 'rmdir' | 'unlink' | 'create-file'; path: string; onBusy?: RaceAction[] };

export const ACTION_KINDS = ['write', 'mkdir', 'rmdir', 'unlink', 'create-file'] as const;

/**
 * The ops a worker runs, in the order of the native Op enum and of the
 * stats. `weight` is the op's key in RaceWeights and its default weight;
 * ops without one are never picked (they follow a listing or a new
 * generation).
 */
export const RACE_OPS = [
  { name: 'open-read', weight: { key: 'openRead', default: 4 } },
  { name: 'enable-write', weight: { key: 'enableWrite', default: 1 } },
  { name: 'stat', weight: { key: 'stat', default: 2 } },
  { name: 'openat', weight: { key: 'openat', default: 2 } },
  { name: 'fstatat', weight: { key: 'fstatat', default: 2 } },
  { name: 'getdents', weight: { key: 'getdents', default: 1 } },
  // Write 0/1 through enable fds held from earlier generations. Off by
  // default: plain files keep accepting writes after unlink (tracefs only).
  { name: 'held-write', weight: { key: 'heldWrite', default: 0 } },
  { name: 'list-stat' },
  { name: 'dirfd-open' },
] as const;

export const OP_KINDS = RACE_OPS.map((o) => o.name);
export type OpKind = (typeof RACE_OPS)[number]['name'];
type WeightKey = Extract<(typeof RACE_OPS)[number], { weight: unknown }>['weight']['key'];
/** The range of one weight. */
export const WEIGHT_LIMITS = { min: 0, max: 1000 } as const;

/**
 * Relative weights of the ops a worker picks. Given weights are the whole
 * mix (ops not named are left out); without them: openRead 4, enableWrite 1,
 * stat 2, openat 2, fstatat 2, getdents 1 (RACE_OPS). Ops without a target
 * drop out.
 */
export type RaceWeights = { [K in WeightKey]?: number };

/** An integer parameter; `cType` is its field's type in the C++ Config. */
export interface IntParam {
  readonly type: 'int';
  readonly cType: 'int' | 'uint32_t' | 'int64_t' | 'uint64_t';
  /** The engine's value when the key is not given. */
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** What special values mean, appended to range messages, e.g. '-1: one per online CPU'. */
  readonly note?: string;
  readonly help: string;
}
export interface StringParam {
  readonly type: 'string';
  readonly default: string;
  readonly help: string;
}
/** Arrays and objects: parsed structurally on both sides; only the name is shared. */
export interface StructParam {
  readonly type: 'actions' | 'paths' | 'dirs' | 'list' | 'weights';
  readonly required?: boolean;
  readonly help: string;
}
export type RaceParam = IntParam | StringParam | StructParam;

const int = (cType: IntParam['cType'], d: number, min: number, max: number, help: string, note?: string) =>
  ({ type: 'int', cType, default: d, min, max, help, ...(note ? { note } : {}) }) as const;

/**
 * Every key of a race config, in the order the native parser reads them.
 * The C++ field of each is its name in snake_case (durationMs: duration_ms).
 */
export const RACE_PARAMS = {
  /** Worker threads; default (0): online CPUs. */
  threads: int('int', 0, 1, 64, 'worker threads; default (0): online CPUs'),
  /** Run time; 0 runs until stopped or maxCycles. At most a day. */
  durationMs: int('uint64_t', 3000, 0, 86_400_000, 'run time in ms; 0: until stopped or maxCycles', 'a day'),
  /** Stop after this many create/remove cycles (0: unbounded). */
  maxCycles: int('uint64_t', 0, 0, Number.MAX_SAFE_INTEGER, 'stop after this many create/remove cycles; 0: unbounded'),
  /** Sleep after the create step returned (the present phase), microseconds. */
  dwellPresentUs: int('uint64_t', 0, 0, 60_000_000, 'sleep in the present phase, us'),
  /** Sleep after the removal returned (the absent phase), microseconds. */
  dwellAbsentUs: int('uint64_t', 0, 0, 60_000_000, 'sleep in the absent phase, us'),
  /** Write 6 to drop_caches every K cycles (in the absent phase). */
  dropCachesEvery: int('uint32_t', 0, 0, 1e9, 'write drop_caches every K cycles (absent phase); 0: off'),
  /** Write 6 to drop_caches from its own thread every N ms (0: back to back). */
  dropCachesIntervalMs: int(
    'int64_t',
    -1,
    -1,
    3_600_000,
    'write drop_caches from its own thread every N ms',
    '-1: off, 0: back to back',
  ),
  /** Every K cycles the controller enables the event and checks that removal gives EBUSY. */
  busyCheckEvery: int('uint32_t', 0, 0, 1e9, 'every K cycles: enable, then removal must give EBUSY; 0: off'),
  /** Progress snapshot period; 0: none. */
  progressMs: int('uint32_t', 1000, 0, 3_600_000, 'progress snapshot period in ms; 0: none'),
  /** Dirfds each worker holds per dir (slot 0 keeps the first generation). */
  heldDirfds: int('uint32_t', 8, 1, 64, 'dirfds each worker holds per dir target'),
  /** EBUSY retries of one removal before the run fails. */
  maxBusyRetries: int('uint64_t', 1_000_000, 0, 1e12, 'EBUSY retries of one removal before the run fails'),
  /**
   * Workers that keep starting ops while the controller creates or removes
   * (the rest step aside, so the writes are not starved as threads grow);
   * -1 (default): one per online CPU. See native/race/engine.cc.
   */
  racers: int(
    'int',
    -1,
    -1,
    64,
    'workers that never step aside from a create or remove step',
    '-1: one per online CPU',
  ),
  /** Longest a worker steps aside from one create or remove step, microseconds; 0: never. */
  stepAsideUs: int(
    'uint32_t',
    2000,
    0,
    1_000_000,
    'longest a worker steps aside from one step, us',
    '0: workers never step aside',
  ),
  /** Default /proc/sys/vm/drop_caches; tests point it at a plain file. */
  dropCachesPath: { type: 'string', default: '/proc/sys/vm/drop_caches', help: 'the drop_caches file' },
  create: { type: 'actions', required: true, help: 'the create step' },
  /** Must take away every path below (the absent-phase rules assume it). */
  remove: { type: 'actions', required: true, help: 'the remove step' },
  /** Files to open+read+close and stat. */
  files: { type: 'paths', help: 'files to open+read+close and stat' },
  /** The enable file workers write "0"/"1" to. */
  enable: { type: 'string', default: '', help: 'the enable file workers write 0/1 to; empty: none' },
  /** Directories whose fds workers hold across generations, and names to reach through them. */
  dirs: { type: 'dirs', help: 'directories whose fds workers hold, and names reached through them' },
  /** getdents64 of dir, then stat of every entry; `name` is the entry the remove step takes away. */
  list: { type: 'list', help: 'a directory to list and the entry the remove step takes away' },
  weights: { type: 'weights', help: 'relative weights of the ops a worker picks' },
} as const satisfies Record<string, RaceParam>;

export type RaceParamName = keyof typeof RACE_PARAMS;
export const RACE_PARAM_NAMES = Object.keys(RACE_PARAMS) as RaceParamName[];

/** Upper limits the CLI applies too. */
export const MAX_THREADS = RACE_PARAMS.threads.max;
export const MAX_DURATION_MS = RACE_PARAMS.durationMs.max;

type Table = typeof RACE_PARAMS;
interface StructValue {
  actions: RaceAction[];
  paths: string[];
  dirs: { path: string; names: string[] }[];
  list: { dir: string; name: string };
  weights: RaceWeights;
}
type ValueOf<P> = P extends { type: 'int' }
  ? number
  : P extends { type: 'string' }
    ? string
    : P extends { type: keyof StructValue }
      ? StructValue[P['type']]
      : never;
type Values = { [K in keyof Table]: ValueOf<Table[K]> };
type RequiredName = { [K in keyof Table]: Table[K] extends { required: true } ? K : never }[keyof Table];
type Flat<T> = { [K in keyof T]: T[K] };

/**
 * What one race run does: the config raceStart() takes as is. Each key's
 * documentation is on its row of RACE_PARAMS.
 */
export type RaceConfig = Flat<Pick<Values, RequiredName> & Partial<Omit<Values, RequiredName>>>;

/** snake_case of a camelCase name: the C++ field of a parameter. */
export function cName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
