// SPDX-License-Identifier: GPL-2.0-only
import type { RaceAction, RaceConfig } from './race-params.js';

// The shape of the native addon (native/*.cc). Nothing outside src/native/
// touches the raw addon: everything goes through these types.

/** A failed system call, returned as data. One frozen instance exists per (syscall, errno). */
export class SysError {
  constructor(
    readonly syscall: string,
    readonly errno: number,
    /** The errno's symbolic name, e.g. 'ENOENT'. */
    readonly code: string,
  ) {
    Object.freeze(this);
  }
  toString(): string {
    return `${this.syscall}: ${this.code}`;
  }
}

export type Result<T> = T | SysError;

export interface Stat {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  size: number;
}

export interface Dirent {
  name: string;
  /** DT_* value from the kernel (DT_DIR, DT_REG, ...). */
  type: number;
  ino: number;
}

export interface Constants {
  O_RDONLY: number;
  O_WRONLY: number;
  O_RDWR: number;
  O_APPEND: number;
  O_CREAT: number;
  O_EXCL: number;
  O_TRUNC: number;
  O_DIRECTORY: number;
  O_PATH: number;
  O_NONBLOCK: number;
  O_NOFOLLOW: number;
  O_CLOEXEC: number;
  AT_FDCWD: number;
  AT_SYMLINK_NOFOLLOW: number;
  AT_EMPTY_PATH: number;
  AT_EACCESS: number;
  F_OK: number;
  R_OK: number;
  W_OK: number;
  X_OK: number;
  SEEK_SET: number;
  SEEK_CUR: number;
  SEEK_END: number;
  S_IFMT: number;
  S_IFDIR: number;
  S_IFREG: number;
  S_IFLNK: number;
  DT_UNKNOWN: number;
  DT_DIR: number;
  DT_REG: number;
  DT_LNK: number;
  MNT_DETACH: number;
  MS_RDONLY: number;
  MS_NOSUID: number;
  MS_NODEV: number;
  MS_NOEXEC: number;
  MS_REMOUNT: number;
}

/** How a path relates to the registered root (native/root.h split_root_path). */
export type RootSplit = { where: 'inside'; rel: string } | { where: 'outside' | 'escapes' };

/**
 * The raw addon. Every fd returned is O_CLOEXEC.
 *
 * Once setRoot(root) is called, the path-taking calls (open, stat, lstat,
 * access, chdir, mkdir, rmdir, and every path of raceStart) resolve a path
 * equal to root or under `root/` relative to the root's O_PATH fd, with
 * openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS|RESOLVE_NO_XDEV)
 * (*at calls and a device check where openat2 does not apply); such a path
 * with a `..` component fails with EXDEV, and so does a write-mode open,
 * mkdir, rmdir, chmod or chown of a path outside the root that is not one of setRoot's
 * `writableOutside`. openat and fstatat take the caller's dirfd as given.
 */
export interface NativeAddon extends NativeRaceAddon, NativeWatchdogAddon, NativeKcovAddon {
  init(errorClass: typeof SysError): void;
  /**
   * Opens `path` (canonical: what realpath gives) O_PATH|O_DIRECTORY, requires
   * tracefs (fstatfs), and registers it as this thread's root; the fd number.
   * EINVAL: not canonical; EMEDIUMTYPE: not tracefs. A race already running
   * keeps the root it started with.
   */
  setRoot(path: string, writableOutside?: string[]): Result<number>;
  /** Forgets the root (its fd closes once no race holds it); whether one was set. */
  clearRoot(): boolean;
  /** The registered root's path. */
  rootPath(): string | undefined;
  /** The pure prefix split the resolver uses (for tests). */
  splitRootPath(prefix: string, path: string): RootSplit;
  /** Tests: resolve as on a kernel without openat2 (< 5.6): openat(O_NOFOLLOW) plus a device check. */
  rootWithoutOpenat2(on: boolean): void;
  open(path: string, flags: number, mode?: number): Result<number>;
  openat(dirfd: number, path: string, flags: number, mode?: number): Result<number>;
  close(fd: number): Result<number>;
  /** One read(2) of at most length bytes; an empty Buffer at end of file. */
  read(fd: number, length: number): Result<Buffer>;
  pread(fd: number, length: number, offset: number): Result<Buffer>;
  /** The whole data in one write(2); returns the bytes written. */
  write(fd: number, data: string | Buffer): Result<number>;
  pwrite(fd: number, data: string | Buffer, offset: number): Result<number>;
  lseek(fd: number, offset: number, whence: number): Result<number>;
  stat(path: string): Result<Stat>;
  lstat(path: string): Result<Stat>;
  fstatat(dirfd: number, path: string, flags?: number): Result<Stat>;
  access(path: string, mode: number): Result<number>;
  /** One getdents64(2) call; [] at the end of the directory. */
  getdents64(fd: number, bufferSize?: number): Result<Dirent[]>;
  chdir(path: string): Result<number>;
  fchdir(fd: number): Result<number>;
  /** The raw getcwd(2): ENOENT when the cwd was removed. */
  getcwd(): Result<string>;
  mkdir(path: string, mode?: number): Result<number>;
  rmdir(path: string): Result<number>;
  mount(source: string, target: string, fstype: string, flags: number, data?: string): Result<number>;
  umount2(target: string, flags?: number): Result<number>;
  /** mode: 0..0o7777. */
  chmod(path: string, mode: number): Result<number>;
  fchmod(fd: number, mode: number): Result<number>;
  /** uid/gid: 0..2**32-2, or -1 to leave it unchanged. */
  chown(path: string, uid: number, gid: number): Result<number>;
  fchown(fd: number, uid: number, gid: number): Result<number>;
  constants: Constants;
}

/**
 * The system calls a scenario makes (ScenarioContext.sys), each with the kind
 * of its arguments: p a path, r a path relative to an fd, f an fd, n a number,
 * s data. A recording keeps these calls (paths only under the tracefs root) and
 * a reproducer replays them (src/repro/).
 */
export const SYS_CALLS = {
  open: 'pnn',
  openat: 'frnn',
  close: 'f',
  read: 'fn',
  pread: 'fnn',
  write: 'fs',
  pwrite: 'fsn',
  lseek: 'fnn',
  stat: 'p',
  lstat: 'p',
  fstatat: 'frn',
  access: 'pn',
  getdents64: 'fn',
  chdir: 'p',
  fchdir: 'f',
  getcwd: '',
  mkdir: 'pn',
  rmdir: 'p',
  chmod: 'pn',
  fchmod: 'fn',
  chown: 'pnn',
  fchown: 'fnn',
} as const satisfies Partial<Record<keyof NativeAddon, string>>;

export type SysCall = keyof typeof SYS_CALLS;

/**
 * A scenario's system-call interface (ScenarioContext.sys): the addon's own
 * calls, errno as data. The addon itself is one; a recorder (src/repro/record.ts)
 * wraps one to see each call.
 */
export type Sys = Pick<NativeAddon, SysCall>;

// ---- Race engine (native/race/). src/race/ wraps these with validation. ----

/** The engine's wire contract, declared with the parameter table (./race-params.ts). */
export type NativeRaceAction = RaceAction;
/** The config crosses as is: ./race-params.ts documents each key. */
export type NativeRaceConfig = RaceConfig;

export interface NativeRaceSnapshot {
  elapsedNs: number;
  cycles: number;
  ops: number;
  violations: number;
}

export interface NativeLatency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The controller's phase around an op. */
export type PhaseName = 'creating' | 'present' | 'removing' | 'absent';

export interface NativeViolation {
  /** Worker index; -1 for the controller. */
  thread: number;
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
  /** Since the start of the run. */
  startNs: number;
  endNs: number;
}

export interface NativeRaceStats {
  stopReason: 'duration' | 'cycles' | 'stopped' | 'error';
  error?: string;
  elapsedNs: number;
  threads: number;
  cycles: number;
  racers: number;
  stepAsides: number;
  /** fds the workers' held rings held at the end (rings only fill). */
  heldFds: number;
  /** The fds the run needed beside those open at its start, those open, and RLIMIT_NOFILE's soft limit (0s: not checked). */
  fdBudget?: NativeFdBudget;
  /** The first resource failure (the tool's, not the kernel's: engine.h is_resource_errno); the run stopped on it. */
  resourceError?: NativeResourceError;
  controllerNice: number;
  controllerBoostError?: string;
  busyRetries: number;
  busyChecks: number;
  dropCaches: number;
  dropCachesErrors: number;
  createLatencyNs: NativeLatency;
  removeLatencyNs: NativeLatency;
  /** By op name; errno histograms keyed 'OK', 'ENOENT', ... per phase class. */
  ops: Record<string, { count: number; errnos: Record<'present' | 'absent' | 'transition', Record<string, number>> }>;
  violationCount: number;
  violations: NativeViolation[];
  violationsByRule: Record<string, number>;
}

export interface NativeFdBudget {
  needed: number;
  open: number;
  limit: number;
}

export interface NativeResourceError {
  /** EMFILE, ENFILE, ENOMEM, EXDEV (a foreign mount under the root), or EAGAIN (thread creation). */
  code: string;
  /** Worker index; -1 the controller (or the drop_caches thread); -2 the engine (the fd budget, thread creation). */
  thread: number;
  /** The op (kOpNames), 'create'/'remove', 'thread' or 'fd budget'. */
  op: string;
  /** The op's path; for 'thread', how many worker threads started. */
  path: string;
  /** Threads that stopped on a resource error. */
  stops: number;
}

export interface NativeRaceAddon {
  /** Starts a race on native threads; throws TypeError on a malformed config. */
  raceStart(
    config: NativeRaceConfig,
    onProgress?: (s: NativeRaceSnapshot) => void,
  ): { id: number; done: Promise<NativeRaceStats> };
  /** Asks a running race to stop; false when it already ended. */
  raceStop(id: number): boolean;
  /** Stops every running race (for SIGINT handlers); returns how many. */
  raceStopAll(): number;
  /** The fds a race with this config and thread count holds at most, beside those already open (engine.h fds_needed). */
  raceFdsNeeded(config: NativeRaceConfig, threads: number): number;
}

// ---- Per-scenario watchdog (native/watchdog.cc). src/native/watchdog.ts wraps these. ----

/** What an arm saw, from watchdogDisarm. */
export interface NativeWatchdogResult {
  /** The deadline passed before the disarm. */
  fired: boolean;
  /** Signals sent to the armed thread (one at the deadline, then one every 50 ms until the disarm). */
  signals: number;
  /** How long after the deadline the disarm came; 0 when it did not fire. */
  overrunMs: number;
}

export interface NativeWatchdogAddon {
  /**
   * Arms a watchdog for the calling thread: at the deadline it stops every
   * running race and signals this thread (and the race threads) until
   * disarmed, so a blocked system call fails with EINTR. Returns the arm's id.
   */
  watchdogArm(timeoutMs: number, label: string): number;
  watchdogDisarm(id: number): NativeWatchdogResult;
  /** The signal the watchdog sends (a real-time one nobody else handles); 0 when none is free. */
  watchdogSignal(): number;
}

// ---- Kernel coverage (native/kcov.cc). src/native/kcov.ts wraps these. ----

/**
 * KCOV of the calling thread (Documentation/dev-tools/kcov.rst). A handle is
 * the kcov fd. Failures are data: open ENOENT (no KCOV, or debugfs not
 * mounted), ioctl EBUSY (this thread or this buffer already traced), ioctl
 * EINVAL (disable from a thread that did not enable), ioctl EBADF (an unknown
 * or closed handle).
 */
export interface NativeKcovAddon {
  /** open + KCOV_INIT_TRACE(words) + mmap; path defaults to /sys/kernel/debug/kcov. */
  kcovOpen(words: number, path?: string): Result<number>;
  /** KCOV_ENABLE(KCOV_TRACE_PC) for the calling thread. */
  kcovEnable(handle: number): Result<number>;
  kcovDisable(handle: number): Result<number>;
  /** Zeroes the count word. */
  kcovReset(handle: number): Result<number>;
  /** The PCs since the last reset, in trace order, low 32 bits of each; at most words - 1. */
  kcovCollect(handle: number): Result<Uint32Array>;
  /** Disables when enabled, unmaps, closes. */
  kcovClose(handle: number): Result<number>;
}
