// Removing what runs that died (SIGKILL, crash, power loss) left in tracefs:
// groups, synthetic events and instances named tfsr_<pid>_... whose pid is
// not alive. `cleanup` and the start of every `run` call this.
import fs from 'node:fs';
import { native, C, isErr, writeOnce, type Result } from '../native/index.js';
import { OWNER_PREFIX } from './ownership.js';
import { pidAlive } from '../util/pid.js';
import { removalLine, SYNTHETIC_GROUP } from './definitions.js';
import { disableEvent } from './enable.js';

export interface ListedEvent {
  file: string;
  group: string;
  event: string;
  pid: number;
}

const OWNED = new RegExp(`^${OWNER_PREFIX}(\\d+)_[0-9a-f]+`);

/** Events of ours in the text of a *_events control file. Pure. */
export function parseOwnedEvents(file: string, text: string): ListedEvent[] {
  const out: ListedEvent[] = [];
  for (const line of text.split('\n')) {
    // kprobe/uprobe/dynamic_events: "p:group/event ...", "r16:group/event ...", "f:..."
    const probe = /^[a-z]\d*:([^/\s]+)\/(\S+)/.exec(line);
    if (probe) {
      const [group, event] = [probe[1]!, probe[2]!];
      const owner = OWNED.exec(group) ?? (group === SYNTHETIC_GROUP ? OWNED.exec(event) : null);
      if (owner) out.push({ file, group, event, pid: Number(owner[1]) });
      continue;
    }
    // synthetic_events: "name field; field"
    const synth = /^(\S+)\s/.exec(line);
    const owner = synth && file.endsWith('synthetic_events') ? OWNED.exec(synth[1]!) : null;
    if (synth && owner) out.push({ file, group: SYNTHETIC_GROUP, event: synth[1]!, pid: Number(owner[1]) });
  }
  return out;
}

export function ownerPid(name: string): number | undefined {
  const m = OWNED.exec(name);
  return m ? Number(m[1]) : undefined;
}

export interface CleanupReport {
  removedEvents: string[];
  removedInstances: string[];
  /**
   * Gone before we got to them (ENOENT): another `cleanup` or `run` removed
   * them first. Not a failure: two cleanups at once both succeed.
   */
  alreadyGone: string[];
  failed: string[];
}

/** The calls removeStale makes: real by default, planted in unit tests. */
export interface StaleSys {
  /** A control file's text; '' when it can't be read. */
  read(path: string): string;
  /** A directory's entries; [] when it does not exist. */
  list(dir: string): string[];
  rmdir(path: string): Result<number>;
  /** Writes 0 to an event's enable file. */
  disable(enablePath: string): Result<number>;
  /** Appends one removal line to a control file. */
  remove(controlFile: string, line: string): Result<number>;
  /** Blocks for ms milliseconds (between retries of an instance that is busy). */
  pause(ms: number): void;
}

function readOr(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const pauseCell = new Int32Array(new SharedArrayBuffer(4));

export const realStaleSys: StaleSys = {
  read: readOr,
  list: (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []),
  rmdir: (path) => native.rmdir(path),
  disable: disableEvent,
  remove: (file, line) => writeOnce(file, line, C.O_APPEND),
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

/** Removes what dead runs left; live runs (another terminal, a parallel CI job) are left alone. */
export function removeStale(
  root: string,
  isAlive: (pid: number) => boolean = pidAlive,
  sys: StaleSys = realStaleSys,
): CleanupReport {
  const report: CleanupReport = { removedEvents: [], removedInstances: [], alreadyGone: [], failed: [] };
  const instancesDir = `${root}/instances`;
  const instances = sys.list(instancesDir);

  const seen = new Set<string>();
  const stale: ListedEvent[] = [];
  for (const name of ['dynamic_events', 'kprobe_events', 'uprobe_events', 'synthetic_events']) {
    const file = `${root}/${name}`;
    for (const ev of parseOwnedEvents(file, sys.read(file))) {
      const key = `${ev.group}/${ev.event}`;
      if (seen.has(key) || isAlive(ev.pid)) continue;
      seen.add(key);
      stale.push(ev);
    }
  }

  // Instances first: an event enabled inside one refuses removal (EBUSY).
  for (const inst of instances) {
    const pid = ownerPid(inst);
    if (pid === undefined || isAlive(pid)) continue;
    for (const ev of stale) sys.disable(`${instancesDir}/${inst}/events/${ev.group}/${ev.event}/enable`);
    const r = rmdirInstance(sys, `${instancesDir}/${inst}`);
    // ENOENT: the directory is gone; ENODEV: instance_rmdir() found no such
    // trace array (another rmdir of it is under way or done): both already gone.
    if (!isErr(r)) report.removedInstances.push(inst);
    else if (r.code === 'ENOENT' || r.code === 'ENODEV') report.alreadyGone.push(`instances/${inst}`);
    else report.failed.push(`instances/${inst}: rmdir ${r.code}`);
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
