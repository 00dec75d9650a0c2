// SPDX-License-Identifier: GPL-2.0-only
// Removing what runs that died (SIGKILL, crash, power loss) left in tracefs:
// groups, synthetic events and instances named by the run-name grammar
// (names.ts) whose run is not alive. `cleanup` and the start of every `run`
// call this.
//
// Liveness, on a kernel with instances: a run holds a file of its lease
// (instances/<runId>_lease, lease.ts) open for its whole life, so rmdir of the
// lease gives EBUSY while the run lives, in whatever PID namespace, and
// succeeds once it is gone (the kernel closes a killed process's fds). The
// lease is removed first, then the run's objects:
// - A run id with objects but no lease is not a live run of this version
//   (a run takes its lease before it creates anything and gives it up after
//   it removed everything): it is a dead run's whose lease a cleanup removed
//   before dying itself, or what a teardown could not remove, or a live run
//   of a version before the lease. The last must not lose its objects (seen
//   on a shared host: a lease-only cleanup removed a concurrent older run's
//   probes), so such a run id falls back to the pid test: removed once
//   kill(pid, 0) fails.
// - Two cleanups at once: one removes the lease, the other finds it gone
//   (ENOENT): both go on, and every removal that finds its object gone counts
//   as already gone, not failed.
// - A cleanup killed after removing the lease leaves objects without a lease:
//   the next cleanup removes them by the rule above.
// Kernels without instances fall back to kill(pid, 0): a run in another PID
// namespace is then not seen, and the report says so (PID_TEST_NOTE).
import { native, C, isErr, listDir, readText, writeOnce, type Result } from '../native/index.js';
import { PID_TEST_NOTE, type OwnershipTest } from './ownership.js';
import { Lease } from './lease.js';
import { parseOwnedEvent, parseOwnedInstance } from './names.js';
import { pidAlive } from '../util/pid.js';
import { removalLine, SYNTHETIC_GROUP } from './definitions.js';
import { disableEvent } from './enable.js';

export interface ListedEvent {
  file: string;
  group: string;
  event: string;
  /** The run that made it (tfsr_<pid>_<tag>) and that run's pid. */
  runId: string;
  pid: number;
}

/**
 * Events of ours in the text of a *_events control file: only names of the
 * run-name grammar (names.ts), never a foreign name that merely starts with
 * tfsr_. Pure.
 */
export function parseOwnedEvents(file: string, text: string): ListedEvent[] {
  const out: ListedEvent[] = [];
  const push = (group: string, event: string) => {
    const owner = parseOwnedEvent(group, event, SYNTHETIC_GROUP);
    if (owner) out.push({ file, group, event, runId: owner.runId, pid: owner.pid });
  };
  for (const line of text.split('\n')) {
    // kprobe/uprobe/dynamic_events: "p:group/event ...", "r16:group/event ...", "f:..."
    const probe = /^[a-z]\d*:([^/\s]+)\/(\S+)/.exec(line);
    if (probe) {
      push(probe[1]!, probe[2]!);
      continue;
    }
    // synthetic_events: "name field; field"
    const synth = /^(\S+)\s/.exec(line);
    if (synth && file.endsWith('synthetic_events')) push(SYNTHETIC_GROUP, synth[1]!);
  }
  return out;
}

/** The pid in the run id of one of our instance names, else undefined. */
export function ownerPid(name: string): number | undefined {
  return parseOwnedInstance(name)?.pid;
}

/** The run id an entry of a CleanupReport belongs to ('group/event', 'instances/x', an instance or lease name). */
export function runIdOf(entry: string): string | undefined {
  const name = entry.startsWith('instances/') ? entry.slice('instances/'.length) : entry;
  const slash = name.indexOf('/');
  if (slash < 0) return parseOwnedInstance(name)?.runId;
  return parseOwnedEvent(name.slice(0, slash), name.slice(slash + 1), SYNTHETIC_GROUP)?.runId;
}

/** Why a run counts as alive: its lease is held; it has no lease but its pid lives; the pid test (no instances). */
export type AliveBecause = 'lease held' | 'no lease, pid alive' | 'pid alive';

export interface CleanupReport {
  /** How liveness was decided: the lease, or the pid test where the kernel has no instances. */
  test: OwnershipTest;
  removedEvents: string[];
  removedInstances: string[];
  /** Run ids whose free lease (their owner is dead) was removed. */
  removedLeases: string[];
  /**
   * Gone before we got to them (ENOENT): another `cleanup` or `run` removed
   * them first. Not a failure: two cleanups at once both succeed.
   */
  alreadyGone: string[];
  failed: string[];
  /** Runs found alive, why, and what of theirs was left alone. */
  alive: { runId: string; why: AliveBecause; objects: string[] }[];
}

/** The calls removeStale makes: real by default, planted in unit tests. */
export interface StaleSys {
  /** A control file's text; '' when it can't be read. */
  read(path: string): string;
  /** A directory's entries; undefined when it does not exist. */
  list(dir: string): string[] | undefined;
  rmdir(path: string): Result<number>;
  /** Writes 0 to an event's enable file. */
  disable(enablePath: string): Result<number>;
  /** Appends one removal line to a control file. */
  remove(controlFile: string, line: string): Result<number>;
  /** Blocks for ms milliseconds (between retries of an instance that is busy). */
  pause(ms: number): void;
}

// Through the addon, so reads resolve beneath the registered tracefs root fd as the writes do.
function readOr(path: string): string {
  const r = readText(native, path);
  return isErr(r) ? '' : r;
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

export const realStaleSys: StaleSys = {
  read: readOr,
  list: (dir) => {
    const r = listDir(native, dir);
    return isErr(r) ? undefined : r;
  },
  rmdir: (path) => native.rmdir(path),
  disable: disableEvent,
  remove: (file, line) => writeOnce(native, file, line, C.O_APPEND),
  pause: (ms) => void Atomics.wait(pauseCell, 0, 0, ms),
};

/**
 * Pauses before each retry of an instance rmdir that gave EBUSY. Another
 * cleanup disabling an event inside it holds one of its files open for a
 * moment (rmdir of an instance with a file open is EBUSY); a holder still
 * there after ~150 ms is real, and the rmdir counts as failed.
 */
export const BUSY_RETRY_MS: readonly number[] = [10, 20, 40, 80];

function rmdirInstance(sys: StaleSys, dir: string): Result<number> {
  let r = sys.rmdir(dir);
  for (const ms of BUSY_RETRY_MS) {
    if (!isErr(r) || r.code !== 'EBUSY') break;
    sys.pause(ms);
    r = sys.rmdir(dir);
  }
  return r;
}

/**
 * Whether run runId is alive, by rmdir of its lease; a free lease is removed
 * on the way. Undefined: it is dead.
 */
function leaseAlive(
  sys: StaleSys,
  root: string,
  run: { runId: string; pid: number; leaseListed: boolean },
  isAlive: (pid: number) => boolean,
  report: CleanupReport,
): AliveBecause | undefined {
  // No retry on EBUSY: a held lease is a live run, not a cleanup passing through.
  const r = sys.rmdir(Lease.dirOf(root, run.runId));
  if (!isErr(r)) {
    report.removedLeases.push(run.runId);
    return undefined;
  }
  if (r.code === 'EBUSY') return 'lease held';
  if (r.code === 'ENOENT' || r.code === 'ENODEV') {
    // Listed, then gone: another cleanup found it free a moment ago.
    if (run.leaseListed) {
      report.alreadyGone.push(`lease of ${run.runId}`);
      return undefined;
    }
    return isAlive(run.pid) ? 'no lease, pid alive' : undefined;
  }
  // Unknown: leave the run alone rather than take a live run's objects.
  report.failed.push(`lease of ${run.runId}: rmdir ${r.code} (its objects left alone)`);
  return 'lease held';
}

/** Removes what dead runs left; live runs (another terminal, a container, a parallel CI job) are left alone. */
export function removeStale(
  root: string,
  isAlive: (pid: number) => boolean = pidAlive,
  sys: StaleSys = realStaleSys,
): CleanupReport {
  const instancesDir = `${root}/instances`;
  const listed = sys.list(instancesDir);
  const test: OwnershipTest = listed === undefined ? 'pid' : 'lease';
  const report: CleanupReport = {
    test,
    removedEvents: [],
    removedInstances: [],
    removedLeases: [],
    alreadyGone: [],
    failed: [],
    alive: [],
  };
  const instances = listed ?? [];

  // One snapshot first: what is created after it (a new run's) is not ours to judge.
  const seen = new Set<string>();
  const events: ListedEvent[] = [];
  for (const name of ['dynamic_events', 'kprobe_events', 'uprobe_events', 'synthetic_events']) {
    const file = `${root}/${name}`;
    for (const ev of parseOwnedEvents(file, sys.read(file))) {
      const key = `${ev.group}/${ev.event}`;
      if (seen.has(key)) continue;
      seen.add(key);
      events.push(ev);
    }
  }
  const owned = instances.flatMap((name) => {
    const o = parseOwnedInstance(name);
    return o ? [{ name, ...o }] : [];
  });

  const runs = new Map<string, number>();
  for (const o of [...events, ...owned]) runs.set(o.runId, o.pid);
  const dead = new Set<string>();
  for (const [runId, pid] of [...runs].sort(([a], [b]) => a.localeCompare(b))) {
    const leaseListed = owned.some((o) => o.runId === runId && o.what === 'lease');
    const alive =
      test === 'lease'
        ? leaseAlive(sys, root, { runId, pid, leaseListed }, isAlive, report)
        : isAlive(pid)
          ? ('pid alive' as const)
          : undefined;
    if (!alive) {
      dead.add(runId);
      continue;
    }
    const objects = [
      ...owned.filter((o) => o.runId === runId).map((o) => `instances/${o.name}`),
      ...events.filter((e) => e.runId === runId).map((e) => `${e.group}/${e.event}`),
    ];
    report.alive.push({ runId, why: alive, objects });
  }
  const stale = events.filter((e) => dead.has(e.runId));

  // Instances first: an event enabled inside one refuses removal (EBUSY).
  for (const inst of owned) {
    if (inst.what === 'lease' || !dead.has(inst.runId)) continue;
    for (const ev of stale) sys.disable(`${instancesDir}/${inst.name}/events/${ev.group}/${ev.event}/enable`);
    const r = rmdirInstance(sys, `${instancesDir}/${inst.name}`);
    // ENOENT: the directory is gone; ENODEV: instance_rmdir() found no such
    // trace array (another rmdir of it is under way or done): both already gone.
    if (!isErr(r)) report.removedInstances.push(inst.name);
    else if (r.code === 'ENOENT' || r.code === 'ENODEV') report.alreadyGone.push(`instances/${inst.name}`);
    else report.failed.push(`instances/${inst.name}: rmdir ${r.code}`);
  }
  for (const ev of stale) {
    for (const inst of instances) sys.disable(`${instancesDir}/${inst}/events/${ev.group}/${ev.event}/enable`);
    sys.disable(`${root}/events/${ev.group}/${ev.event}/enable`);
    let line: string;
    try {
      line = removalLine(ev.file, ev.group, ev.event);
    } catch (e) {
      report.failed.push(`${ev.group}/${ev.event}: ${(e as Error).message}`);
      continue;
    }
    // ENOENT: the kernel has no such event any more (removed by someone else first).
    const r = sys.remove(ev.file, line);
    if (!isErr(r)) report.removedEvents.push(`${ev.group}/${ev.event}`);
    else if (r.code === 'ENOENT') report.alreadyGone.push(`${ev.group}/${ev.event}`);
    else report.failed.push(`${ev.group}/${ev.event}: ${r.code}`);
  }
  return report;
}

/** Nothing found at all: no dead run's leftovers, no live run's objects. */
export function cleanupFoundNothing(r: CleanupReport): boolean {
  return (
    !r.removedEvents.length &&
    !r.removedInstances.length &&
    !r.removedLeases.length &&
    !r.alreadyGone.length &&
    !r.failed.length &&
    !r.alive.length
  );
}

/**
 * What a cleanup did, one line each, naming whose: for `cleanup` (all of it)
 * and the start of `run`. Failures are separate (stderr). Pure.
 */
export function describeCleanup(r: CleanupReport): string[] {
  const out: string[] = [];
  if (r.test === 'pid') out.push(PID_TEST_NOTE);
  const whose = (entry: string) => {
    const id = runIdOf(entry);
    return id ? ` (run ${id}, dead)` : '';
  };
  for (const id of r.removedLeases) out.push(`removed the free lease of dead run ${id}`);
  for (const i of r.removedInstances) out.push(`removed instance ${i}${whose(i)}`);
  for (const e of r.removedEvents) out.push(`removed event ${e}${whose(e)}`);
  for (const g of r.alreadyGone) out.push(`already removed (by another cleanup or run): ${g}`);
  const how: Record<AliveBecause, string> = {
    'lease held': 'its lease is held',
    'no lease, pid alive': 'no lease but its pid is alive (a run of a version before leases?)',
    'pid alive': 'its pid is alive',
  };
  for (const a of r.alive) out.push(`left run ${a.runId} alone (alive: ${how[a.why]}): ${a.objects.join(', ')}`);
  return out;
}
