// SPDX-License-Identifier: GPL-2.0-only
// Everything one run creates in tracefs: its lease (lease.ts), its group
// (tfsr_<pid>_<random>), its events and its instances. Each is recorded before
// it is created and removed at release(), on errors and on signals (the
// injected onTeardown); the lease is taken first and given up last.
import crypto from 'node:crypto';
import { native, C, isErr, writeOnce, type Result, type Sys } from '../native/index.js';
import { define, type Definition } from './definitions.js';
import { disableEvent } from './enable.js';
import { targetFor } from './targets.js';
import { RUN_PREFIX, runNames, isRunId } from './names.js';
import { Lease, type LeaseSys, realLeaseSys } from './lease.js';
import type { Probe, ControlWrite } from './types.js';
import type { OnTeardown, ProbeKind } from '../model.js';

export const OWNER_PREFIX = RUN_PREFIX;

/** tfsr_<pid>_<6 hex>: the pid says who (in its PID namespace), the tag tells two runs of one pid apart. */
export function newRunId(): string {
  return runNames.runId(process.pid, crypto.randomBytes(3).toString('hex'));
}

/** How other runs tell this run is alive: its lease, or (no instances on this kernel) its pid. */
export type OwnershipTest = 'lease' | 'pid';

export const PID_TEST_NOTE =
  'ownership: pid test (no instances on this kernel); runs in other PID namespaces are not seen';

class OwnedProbe implements Probe {
  live = false;
  readonly create: ControlWrite;
  readonly remove: ControlWrite;
  readonly groupDir: string;
  readonly eventDir: string;

  constructor(
    root: string,
    readonly kind: ProbeKind,
    private readonly def: Definition,
    /** What add() and delete() write through: a scenario's ctx.sys, so a recording sees them. */
    private readonly sys: Sys,
  ) {
    const file = `${root}/${def.file}`;
    this.create = { file, line: def.createLine };
    this.remove = { file, line: def.removeLine };
    this.groupDir = `${root}/events/${def.group}`;
    this.eventDir = `${this.groupDir}/${def.event}`;
  }
  get group(): string {
    return this.def.group;
  }
  get event(): string {
    return this.def.event;
  }
  dirIn(root: string): string {
    return `${root}/events/${this.def.group}/${this.def.event}`;
  }
  add(): Result<number> {
    // Recorded as live before the write: a signal between write and return must still clean it up.
    this.live = true;
    const r = writeOnce(this.sys, this.create.file, this.create.line, C.O_APPEND);
    if (isErr(r) && r.code !== 'EEXIST') this.live = false;
    return r;
  }
  markLive(live: boolean): void {
    this.live = live;
  }
  delete(): Result<number> {
    const r = writeOnce(this.sys, this.remove.file, this.remove.line, C.O_APPEND);
    if (!isErr(r) || r.code === 'ENOENT') this.live = false;
    return r;
  }
}

export class Ownership {
  readonly group: string;
  private probes: OwnedProbe[] = [];
  /** Absolute paths of instances handed out (created or not). */
  private instances = new Set<string>();
  private seq = 0;
  private readonly unregister: () => void;
  private readonly lease: Lease | undefined;
  readonly test: OwnershipTest;

  /** Takes the run's lease before anything else exists (throws EnvironmentError when it cannot). */
  constructor(
    readonly root: string,
    onTeardown: OnTeardown,
    readonly runId = newRunId(),
    leaseSys: LeaseSys = realLeaseSys,
  ) {
    if (!isRunId(runId)) throw new Error(`internal: ${JSON.stringify(runId)} is not a run id (tfsr_<pid>_<6 hex>)`);
    this.group = runId;
    // Registered before the lease is taken, so a signal right after mkdir still removes it.
    this.unregister = onTeardown(`remove ${runId} from ${root}`, () => this.releaseAll());
    this.lease = Lease.take(root, runId, leaseSys);
    this.test = this.lease ? 'lease' : 'pid';
  }

  /** For the report: how other runs see this one, when that is the weaker pid test. */
  get notes(): string[] {
    return this.test === 'pid' ? [PID_TEST_NOTE] : [];
  }

  /**
   * A fresh group of this run (tfsr_<pid>_<rand>_g<n>). Each scenario variant
   * gets its own: on a kernel with stale group dentries, a group removed by
   * one scenario would otherwise hide the next scenario's events (all of them
   * UNRESOLVED, none attributed).
   */
  newGroup(): string {
    return runNames.group(this.group, ++this.seq);
  }

  /** A new event (not yet created) of the given kind, in this run's group or one from newGroup(). */
  newProbe(kind: ProbeKind, opts: { group?: string; sys?: Sys } = {}): Probe {
    const group = opts.group ?? this.group;
    if (group !== this.group && !group.startsWith(`${this.group}_g`))
      throw new Error(`refusing to create a probe in a group this run does not own: ${group}`);
    // Synthetic events share the group 'synthetic': the run id in the event name marks them ours.
    const event = kind === 'synthetic' ? runNames.syntheticEvent(group, ++this.seq) : runNames.event(++this.seq);
    const p = new OwnedProbe(this.root, kind, define(group, event, targetFor(kind)), opts.sys ?? native);
    this.probes.push(p);
    return p;
  }

  /** A fresh instance name; created by the caller with mkdir, removed here at release. */
  newInstance(): string {
    const dir = `${this.root}/instances/${runNames.instance(this.group, ++this.seq)}`;
    this.instances.add(dir);
    return dir;
  }

  /**
   * Removes what is still there: events disabled (top level and in our
   * instances) first, since an enabled event refuses removal (EBUSY); then
   * instances, then events. Returns what could not be removed.
   */
  release(): string[] {
    const left: string[] = [];
    const live = this.probes.filter((p) => p.live);
    for (const inst of this.instances) {
      for (const p of live) disableEvent(`${p.dirIn(inst)}/enable`);
      const r = native.rmdir(inst);
      if (isErr(r) && r.code !== 'ENOENT') left.push(`instance ${inst}: rmdir ${r.code}`);
    }
    this.instances.clear();
    for (const p of live) {
      disableEvent(`${p.eventDir}/enable`);
      const r = p.delete();
      if (isErr(r) && r.code !== 'ENOENT') left.push(`${p.group}/${p.event}: ${r.code}`);
    }
    this.probes = this.probes.filter((p) => p.live);
    return left;
  }

  /** Everything, the lease last: once it is free another run may take what is left for a dead run's. */
  private releaseAll(): string[] {
    const left = this.release();
    return [...left, ...(this.lease?.release() ?? [])];
  }

  /** release(), give up the lease, and stop watching for signals: the run is over. */
  close(): string[] {
    const left = this.releaseAll();
    this.unregister();
    return left;
  }
}
