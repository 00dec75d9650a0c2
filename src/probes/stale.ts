// Removing what runs that died (SIGKILL, crash, power loss) left in tracefs:
// groups, synthetic events and instances named tfsr_<pid>_... whose pid is
// not alive. `cleanup` and the start of every `run` call this.
import fs from 'node:fs';
import { native, C, isErr, writeOnce } from '../native/index.js';
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
  failed: string[];
}

function readOr(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Removes what dead runs left; live runs (another terminal, a parallel CI job) are left alone. */
export function removeStale(root: string, isAlive: (pid: number) => boolean = pidAlive): CleanupReport {
  const report: CleanupReport = { removedEvents: [], removedInstances: [], failed: [] };
  const instancesDir = `${root}/instances`;
  const instances = fs.existsSync(instancesDir) ? fs.readdirSync(instancesDir) : [];

  const seen = new Set<string>();
  const stale: ListedEvent[] = [];
  for (const name of ['dynamic_events', 'kprobe_events', 'uprobe_events', 'synthetic_events']) {
    const file = `${root}/${name}`;
    for (const ev of parseOwnedEvents(file, readOr(file))) {
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
    for (const ev of stale) disableEvent(`${instancesDir}/${inst}/events/${ev.group}/${ev.event}/enable`);
    const r = native.rmdir(`${instancesDir}/${inst}`);
    if (isErr(r)) report.failed.push(`instances/${inst}: rmdir ${r.code}`);
    else report.removedInstances.push(inst);
  }
  for (const ev of stale) {
    for (const inst of instances) disableEvent(`${instancesDir}/${inst}/events/${ev.group}/${ev.event}/enable`);
    disableEvent(`${root}/events/${ev.group}/${ev.event}/enable`);
    let line: string;
    try {
      line = removalLine(ev.file, ev.group, ev.event);
    } catch (e) {
      report.failed.push(`${ev.group}/${ev.event}: ${(e as Error).message}`);
      continue;
    }
    const r = writeOnce(ev.file, line, C.O_APPEND);
    if (isErr(r) && r.code !== 'ENOENT') report.failed.push(`${ev.group}/${ev.event}: ${r.code}`);
    else report.removedEvents.push(`${ev.group}/${ev.event}`);
  }
  return report;
}
