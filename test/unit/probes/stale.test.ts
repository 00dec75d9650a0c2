// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import {
  parseOwnedEvents,
  ownerPid,
  removeStale,
  BUSY_RETRY_MS,
  describeCleanup,
  runIdOf,
  type CleanupReport,
  type StaleSys,
} from '../../../src/probes/stale.js';
import { SysError, type Result } from '../../../src/native/types.js';

describe('finding our events in control files', () => {
  it('finds tfsr_ groups in kprobe/uprobe/dynamic_events and ignores others', () => {
    const text = [
      'p:kprobes/p_do_sys_open do_sys_open',
      'p:tfsr_4242_a1b2c3/e1 do_sys_openat2',
      'r16:tfsr_77_00ff00_g2/e12 vfs_read',
      'p:tfsrX_1_ab/e /bin/true:0x23d0',
      'p:mytfsr_1_ab/e /bin/true:0x23d0',
      'f:tfsr_5_abcdef/e3 vfs_read',
    ].join('\n');
    expect(parseOwnedEvents('/t/dynamic_events', text)).toEqual([
      { file: '/t/dynamic_events', group: 'tfsr_4242_a1b2c3', event: 'e1', runId: 'tfsr_4242_a1b2c3', pid: 4242 },
      { file: '/t/dynamic_events', group: 'tfsr_77_00ff00_g2', event: 'e12', runId: 'tfsr_77_00ff00', pid: 77 },
      { file: '/t/dynamic_events', group: 'tfsr_5_abcdef', event: 'e3', runId: 'tfsr_5_abcdef', pid: 5 },
    ]);
  });

  it('ignores names that only start like ours (the old prefix regex took all of these for run 12)', () => {
    const text = [
      'p:tfsr_debug/e1 /bin/true:0x23d0',
      'p:tfsr_12_abcdef_mine/e1 /bin/true:0x23d0',
      'p:tfsr_12_ABCDEF/e1 /bin/true:0x23d0',
      'p:tfsr_12_abcdef0/e1 /bin/true:0x23d0',
      'p:tfsr_012_abcdef/e1 /bin/true:0x23d0',
      'p:tfsr_12_abcdef_g0/e1 /bin/true:0x23d0',
      'p:tfsr_12_abcdef/keepme /bin/true:0x23d0',
      'p:tfsr_12_abcdef/e1x /bin/true:0x23d0',
    ].join('\n');
    expect(parseOwnedEvents('/t/uprobe_events', text)).toEqual([]);
    expect(parseOwnedEvents('/t/synthetic_events', 'tfsr_12_abcdef_mine u64 x\ntfsr_12_abcdef_e1_x u64 x\n')).toEqual(
      [],
    );
  });

  it('finds synthetic events by name', () => {
    const text = 'tfsr_9_abcdef_e1 u64 tfsr_value\nwakeup_latency u64 lat\n';
    expect(parseOwnedEvents('/t/synthetic_events', text)).toEqual([
      { file: '/t/synthetic_events', group: 'synthetic', event: 'tfsr_9_abcdef_e1', runId: 'tfsr_9_abcdef', pid: 9 },
    ]);
    expect(parseOwnedEvents('/t/dynamic_events', 's:synthetic/tfsr_9_abcdef_e1 u64 tfsr_value')).toHaveLength(1);
    expect(parseOwnedEvents('/t/dynamic_events', 's:synthetic/wakeup_latency u64 lat')).toHaveLength(0);
  });

  it('reads the owner pid of instance names', () => {
    expect(ownerPid('tfsr_123_abcdef_i4')).toBe(123);
    expect(ownerPid('tfsr_123_abcdef_lease')).toBe(123);
    expect(ownerPid('foreign')).toBeUndefined();
    expect(ownerPid('tfsr_123_abcdef_i4_mine')).toBeUndefined();
    expect(ownerPid('tfsr_123_abcdef')).toBeUndefined();
  });

  it('names the run of a report entry', () => {
    expect(runIdOf('tfsr_1_abcdef_g3/e4')).toBe('tfsr_1_abcdef');
    expect(runIdOf('synthetic/tfsr_1_abcdef_g3_e4')).toBe('tfsr_1_abcdef');
    expect(runIdOf('instances/tfsr_1_abcdef_i2')).toBe('tfsr_1_abcdef');
    expect(runIdOf('tfsr_1_abcdef_i2')).toBe('tfsr_1_abcdef');
    expect(runIdOf('kprobes/x')).toBeUndefined();
  });
});

// A fake tracefs for removeStale: control files listing events, instances, and
// the errno the kernel gives when an object is gone (ENOENT) or held (EBUSY).
class FakeTracefs implements StaleSys {
  readonly calls: string[] = [];
  /** `file -> lines` of the *_events control files, relative to /t. */
  readonly events = new Map<string, string[]>();
  readonly instances = new Set<string>();
  /** Instances whose rmdir gives EBUSY this many more times. */
  readonly busy = new Map<string, number>();
  /** Instances with a file held open (a live run's lease): rmdir gives EBUSY. */
  readonly held = new Set<string>();
  /** false: a kernel without instances (no instances/ directory). */
  hasInstances = true;
  /** Runs once, at the first disable: lets another cleanup run "at the same time". */
  onFirstDisable: (() => void) | undefined;

  read(path: string): string {
    return (this.events.get(path.replace('/t/', '')) ?? []).join('\n');
  }
  list(dir: string): string[] | undefined {
    return dir === '/t/instances' && this.hasInstances ? [...this.instances] : undefined;
  }
  rmdir(path: string): Result<number> {
    this.calls.push(`rmdir ${path}`);
    const name = path.replace('/t/instances/', '');
    const busy = this.busy.get(name) ?? 0;
    if (this.held.has(name)) return new SysError('rmdir', 16, 'EBUSY');
    if (busy > 0) {
      this.busy.set(name, busy - 1);
      return new SysError('rmdir', 16, 'EBUSY');
    }
    return this.instances.delete(name) ? 0 : new SysError('rmdir', 2, 'ENOENT');
  }
  disable(enablePath: string): Result<number> {
    const hook = this.onFirstDisable;
    this.onFirstDisable = undefined;
    hook?.();
    this.calls.push(`disable ${enablePath}`);
    return new SysError('open', 2, 'ENOENT');
  }
  remove(controlFile: string, line: string): Result<number> {
    this.calls.push(`remove ${controlFile} ${line}`);
    const file = controlFile.replace('/t/', '');
    const lines = this.events.get(file) ?? [];
    const at = line.startsWith('-:') ? line.slice(2) : line.slice(1);
    const i = lines.findIndex((l) => (line.startsWith('!') ? l.startsWith(`${at} `) : l.includes(`:${at} `)));
    if (i < 0) return new SysError('write', 2, 'ENOENT');
    lines.splice(i, 1);
    return line.length;
  }
  pause(ms: number): void {
    this.calls.push(`pause ${ms}`);
  }
}

/**
 * Leftovers of dead run 42 (its lease free): an instance, a kprobe, a uprobe
 * and a synthetic event.
 */
function leftovers(): FakeTracefs {
  const t = new FakeTracefs();
  t.instances.add('tfsr_42_abcdef_lease');
  t.instances.add('tfsr_42_abcdef_i1');
  t.instances.add('foreign_instance');
  t.events.set('kprobe_events', ['p:tfsr_42_abcdef/e1 vfs_read', 'p:kprobes/mine do_sys_open']);
  t.events.set('uprobe_events', ['p:tfsr_42_abcdef/e2 /usr/bin/true:0x23d0']);
  t.events.set('synthetic_events', ['tfsr_42_abcdef_e3 u64 tfsr_value']);
  return t;
}
/** The pid test's answer: used only on a kernel without instances. */
const dead = (pid: number) => pid !== 42;
const ALL_OF_42 = [
  'instances/tfsr_42_abcdef_i1',
  'tfsr_42_abcdef/e1',
  'tfsr_42_abcdef/e2',
  'synthetic/tfsr_42_abcdef_e3',
];
const LEASE_42 = '/t/instances/tfsr_42_abcdef_lease';

describe('removeStale with two cleanups at once (issue 11 item 8)', () => {
  it('removes what a dead run left, and nothing foreign', () => {
    const t = leftovers();
    const r = removeStale('/t', dead, t);
    expect(r).toEqual({
      test: 'lease',
      removedLeases: ['tfsr_42_abcdef'],
      removedInstances: ['tfsr_42_abcdef_i1'],
      removedEvents: ['tfsr_42_abcdef/e1', 'tfsr_42_abcdef/e2', 'synthetic/tfsr_42_abcdef_e3'],
      alreadyGone: [],
      failed: [],
      alive: [],
    });
    expect([...t.instances]).toEqual(['foreign_instance']);
    expect(t.events.get('kprobe_events')).toEqual(['p:kprobes/mine do_sys_open']);
  });

  it('counts what another cleanup removed first (ENOENT) as already gone, not failed: both succeed', () => {
    const t = leftovers();
    const others: CleanupReport[] = [];
    // The other cleanup runs whole between this one's listing and its first removal.
    t.onFirstDisable = () => others.push(removeStale('/t', dead, t));
    const mine = removeStale('/t', dead, t);
    const other = others[0]!;
    expect(other.failed).toEqual([]);
    expect(mine.failed).toEqual([]);
    expect(mine.removedLeases).toEqual(['tfsr_42_abcdef']); // the other came after it: no lease left to see
    expect(mine.alreadyGone).toEqual(ALL_OF_42);
    expect([...mine.removedInstances, ...mine.removedEvents]).toEqual([]);
    expect([...other.removedInstances.map((i) => `instances/${i}`), ...other.removedEvents]).toEqual(ALL_OF_42);
    expect([...t.instances]).toEqual(['foreign_instance']);
  });

  it('an rmdir or a removal write that gets ENOENT (planted: listed, then gone) is already gone', () => {
    const t = leftovers();
    const listedThenGone: StaleSys = {
      ...bind(t),
      rmdir: (p) => (p.endsWith('tfsr_42_abcdef_i1') ? new SysError('rmdir', 2, 'ENOENT') : t.rmdir(p)),
      remove: (f, l) => (f.endsWith('uprobe_events') ? new SysError('write', 2, 'ENOENT') : t.remove(f, l)),
    };
    const r = removeStale('/t', dead, listedThenGone);
    expect(r.failed).toEqual([]);
    expect(r.alreadyGone).toEqual(['instances/tfsr_42_abcdef_i1', 'tfsr_42_abcdef/e2']);
    expect(r.removedEvents).toEqual(['tfsr_42_abcdef/e1', 'synthetic/tfsr_42_abcdef_e3']);
  });

  it('an instance rmdir that gets ENODEV (the kernel found no such trace array: another rmdir of it won) is already gone', () => {
    // Seen live with two cleanups at once before this fix: 'rmdir ENODEV', exit 1.
    const t = leftovers();
    const r = removeStale('/t', dead, { ...bind(t), rmdir: () => new SysError('rmdir', 19, 'ENODEV') });
    expect(r.failed).toEqual([]);
    expect(r.alreadyGone).toEqual(['lease of tfsr_42_abcdef', 'instances/tfsr_42_abcdef_i1']);
  });

  it('an instance held open for good (EBUSY) still fails, after the short retries', () => {
    const t = leftovers();
    t.busy.set('tfsr_42_abcdef_i1', Infinity);
    const r = removeStale('/t', dead, t);
    expect(r.failed).toEqual(['instances/tfsr_42_abcdef_i1: rmdir EBUSY']);
    expect(t.calls.filter((c) => c.startsWith('rmdir') || c.startsWith('pause'))).toEqual([
      `rmdir ${LEASE_42}`,
      'rmdir /t/instances/tfsr_42_abcdef_i1',
      ...BUSY_RETRY_MS.flatMap((ms) => [`pause ${ms}`, 'rmdir /t/instances/tfsr_42_abcdef_i1']),
    ]);
    expect(r.removedEvents).toHaveLength(3);
  });

  it('an instance busy for a moment (another cleanup disabling an event in it) is removed, or found gone', () => {
    const t = leftovers();
    t.busy.set('tfsr_42_abcdef_i1', 2);
    expect(removeStale('/t', dead, t).removedInstances).toEqual(['tfsr_42_abcdef_i1']);

    // busy once, and while we pause the other cleanup removes it
    const u = leftovers();
    u.busy.set('tfsr_42_abcdef_i1', 1);
    const r = removeStale('/t', dead, { ...bind(u), pause: () => u.instances.delete('tfsr_42_abcdef_i1') });
    expect(r.alreadyGone).toEqual(['instances/tfsr_42_abcdef_i1']);
    expect(r.failed).toEqual([]);
  });

  it('a removal write refused for another reason (EBUSY: still enabled somewhere) fails', () => {
    const t = leftovers();
    const r = removeStale('/t', dead, {
      ...bind(t),
      remove: (f, l) => (f.endsWith('kprobe_events') ? new SysError('write', 16, 'EBUSY') : t.remove(f, l)),
    });
    expect(r.failed).toEqual(['tfsr_42_abcdef/e1: EBUSY']);
    expect(r.removedEvents).toEqual(['tfsr_42_abcdef/e2', 'synthetic/tfsr_42_abcdef_e3']);
  });

  it('leaves a live run alone (pid test, no instances on this kernel)', () => {
    const t = leftovers();
    t.hasInstances = false;
    const r = removeStale('/t', () => true, t);
    expect(r).toEqual({
      test: 'pid',
      removedEvents: [],
      removedInstances: [],
      removedLeases: [],
      alreadyGone: [],
      failed: [],
      alive: [
        {
          runId: 'tfsr_42_abcdef',
          why: 'pid alive',
          objects: ['tfsr_42_abcdef/e1', 'tfsr_42_abcdef/e2', 'synthetic/tfsr_42_abcdef_e3'],
        },
      ],
    });
    expect(t.calls).toEqual([]);
  });
});

describe('removeStale: liveness from the lease (issue 11 item 2)', () => {
  it('a held lease is a live run, whatever kill(pid, 0) says (a run in another PID namespace)', () => {
    const t = leftovers();
    t.held.add('tfsr_42_abcdef_lease');
    // The pid test says dead (pid 42 is not in this namespace): the old code removed everything here.
    const r = removeStale('/t', () => false, t);
    expect(r.removedEvents).toEqual([]);
    expect(r.removedInstances).toEqual([]);
    expect(r.removedLeases).toEqual([]);
    expect(r.failed).toEqual([]);
    expect(r.alive).toEqual([
      {
        runId: 'tfsr_42_abcdef',
        why: 'lease held',
        objects: [
          'instances/tfsr_42_abcdef_lease',
          'instances/tfsr_42_abcdef_i1',
          'tfsr_42_abcdef/e1',
          'tfsr_42_abcdef/e2',
          'synthetic/tfsr_42_abcdef_e3',
        ],
      },
    ]);
    expect(t.instances.has('tfsr_42_abcdef_i1')).toBe(true);
    expect(t.events.get('uprobe_events')).toHaveLength(1);
  });

  it("a held lease's EBUSY is an answer, not a retry: one rmdir, no pause, nothing disabled", () => {
    const t = leftovers();
    t.held.add('tfsr_42_abcdef_lease');
    removeStale('/t', () => false, t);
    expect(t.calls).toEqual([`rmdir ${LEASE_42}`]);
  });

  it('a free lease is a dead run, whatever kill(pid, 0) says (pid reused): the lease goes first, then the rest', () => {
    const t = leftovers();
    const r = removeStale('/t', () => true, t);
    expect(r.removedLeases).toEqual(['tfsr_42_abcdef']);
    expect(r.removedInstances).toEqual(['tfsr_42_abcdef_i1']);
    expect(r.removedEvents).toHaveLength(3);
    expect(t.calls[0]).toBe(`rmdir ${LEASE_42}`);
    expect([...t.instances]).toEqual(['foreign_instance']);
  });

  it("objects without a lease: the pid test decides (a dead run's, or a live run of a version before leases)", () => {
    const t = leftovers();
    t.instances.delete('tfsr_42_abcdef_lease');
    const kept = removeStale('/t', () => true, t);
    expect(kept.alive).toEqual([
      {
        runId: 'tfsr_42_abcdef',
        why: 'no lease, pid alive',
        objects: [
          'instances/tfsr_42_abcdef_i1',
          'tfsr_42_abcdef/e1',
          'tfsr_42_abcdef/e2',
          'synthetic/tfsr_42_abcdef_e3',
        ],
      },
    ]);
    expect(kept.removedEvents).toEqual([]);
    const r = removeStale('/t', dead, t);
    expect(r.removedLeases).toEqual([]);
    expect(r.alreadyGone).toEqual([]);
    expect(r.failed).toEqual([]);
    expect([...r.removedInstances.map((i) => `instances/${i}`), ...r.removedEvents]).toEqual(ALL_OF_42);
  });

  it('a cleanup killed right after removing the lease: the next cleanup removes the rest', () => {
    const t = leftovers();
    class Killed extends Error {}
    const dies: StaleSys = {
      ...bind(t),
      rmdir: (p) => {
        const r = t.rmdir(p);
        if (p === LEASE_42) throw new Killed();
        return r;
      },
    };
    expect(() => removeStale('/t', dead, dies)).toThrow(Killed);
    expect(t.instances.has('tfsr_42_abcdef_lease')).toBe(false);
    expect(t.instances.has('tfsr_42_abcdef_i1')).toBe(true);
    const next = removeStale('/t', dead, t);
    expect(next.failed).toEqual([]);
    expect([...next.removedInstances.map((i) => `instances/${i}`), ...next.removedEvents]).toEqual(ALL_OF_42);
  });

  it('a lease rmdir that fails otherwise (EPERM) leaves the run alone and says so', () => {
    const t = leftovers();
    const r = removeStale('/t', () => false, {
      ...bind(t),
      rmdir: (p) => (p === LEASE_42 ? new SysError('rmdir', 1, 'EPERM') : t.rmdir(p)),
    });
    expect(r.failed).toEqual(['lease of tfsr_42_abcdef: rmdir EPERM (its objects left alone)']);
    expect(r.removedEvents).toEqual([]);
    expect(r.removedInstances).toEqual([]);
  });

  it('a live run and a dead run side by side: only the dead one goes', () => {
    const t = leftovers();
    t.instances.add('tfsr_7_0a0b0c_lease');
    t.instances.add('tfsr_7_0a0b0c_i2');
    t.held.add('tfsr_7_0a0b0c_lease');
    t.events.get('uprobe_events')!.push('p:tfsr_7_0a0b0c_g1/e3 /usr/bin/true:0x23d0');
    const r = removeStale('/t', () => true, t);
    expect(r.removedLeases).toEqual(['tfsr_42_abcdef']);
    expect(r.alive.map((a) => a.runId)).toEqual(['tfsr_7_0a0b0c']);
    expect([...t.instances].sort()).toEqual(['foreign_instance', 'tfsr_7_0a0b0c_i2', 'tfsr_7_0a0b0c_lease']);
    expect(t.events.get('uprobe_events')).toEqual(['p:tfsr_7_0a0b0c_g1/e3 /usr/bin/true:0x23d0']);
  });

  it('two cleanups at once, each finding the other mid-way: both succeed and everything dead is gone', () => {
    for (let at = 0; at < 8; at++) {
      const t = leftovers();
      let calls = 0;
      const others: CleanupReport[] = [];
      const interleaved: StaleSys = {
        ...bind(t),
        rmdir: (p) => {
          if (calls++ === at) others.push(removeStale('/t', () => true, t));
          return t.rmdir(p);
        },
        remove: (f, l) => {
          if (calls++ === at) others.push(removeStale('/t', () => true, t));
          return t.remove(f, l);
        },
      };
      const mine = removeStale('/t', () => true, interleaved);
      expect(mine.failed, `interleaved at ${at}`).toEqual([]);
      expect(others.flatMap((o) => o.failed)).toEqual([]);
      expect([...t.instances]).toEqual(['foreign_instance']);
      expect(t.events.get('uprobe_events')).toEqual([]);
    }
  });

  it('foreign names that start like ours are never touched, dead-looking or not', () => {
    const t = new FakeTracefs();
    for (const i of [
      'tfsr_debug',
      'tfsr_12_abcdef_mine',
      'tfsr_12_abcdef_lease_x',
      'tfsr_12_ABCDEF_i1',
      'tfsr_12_abcdef',
    ])
      t.instances.add(i);
    t.events.set('uprobe_events', [
      'p:tfsr_debug/e1 /usr/bin/true:0x23d0',
      'p:tfsr_12_abcdef_mine/e1 /usr/bin/true:0x23d0',
      'p:tfsr_12_abcdef/keepme /usr/bin/true:0x23d0',
    ]);
    t.events.set('synthetic_events', ['tfsr_12_abcdef_mine u64 x']);
    const r = removeStale('/t', () => false, t);
    expect(r).toMatchObject({ removedEvents: [], removedInstances: [], removedLeases: [], failed: [], alive: [] });
    expect(t.calls).toEqual([]);
  });
});

describe('removeStale on a kernel without instances: the pid test', () => {
  it("removes a dead pid's objects and keeps a live pid's, and says which test it used", () => {
    const t = leftovers();
    t.hasInstances = false;
    t.events.get('uprobe_events')!.push('p:tfsr_7_0a0b0c/e9 /usr/bin/true:0x23d0');
    const r = removeStale('/t', dead, t);
    expect(r.test).toBe('pid');
    expect(r.removedEvents).toEqual(['tfsr_42_abcdef/e1', 'tfsr_42_abcdef/e2', 'synthetic/tfsr_42_abcdef_e3']);
    expect(r.alive).toEqual([{ runId: 'tfsr_7_0a0b0c', why: 'pid alive', objects: ['tfsr_7_0a0b0c/e9'] }]);
    expect(t.calls.filter((c) => c.startsWith('rmdir'))).toEqual([]);
    expect(describeCleanup(r)[0]).toBe(
      'ownership: pid test (no instances on this kernel); runs in other PID namespaces are not seen',
    );
  });
});

describe('describeCleanup', () => {
  it('names whose each removed object was and what a live run keeps', () => {
    const t = leftovers();
    t.instances.add('tfsr_7_0a0b0c_lease');
    t.held.add('tfsr_7_0a0b0c_lease');
    expect(describeCleanup(removeStale('/t', () => true, t))).toEqual([
      'removed the free lease of dead run tfsr_42_abcdef',
      'removed instance tfsr_42_abcdef_i1 (run tfsr_42_abcdef, dead)',
      'removed event tfsr_42_abcdef/e1 (run tfsr_42_abcdef, dead)',
      'removed event tfsr_42_abcdef/e2 (run tfsr_42_abcdef, dead)',
      'removed event synthetic/tfsr_42_abcdef_e3 (run tfsr_42_abcdef, dead)',
      'left run tfsr_7_0a0b0c alone (alive: its lease is held): instances/tfsr_7_0a0b0c_lease',
    ]);
  });
});

/** The fake's methods as a plain object, so a test can override one. */
function bind(t: FakeTracefs): StaleSys {
  return {
    read: (p) => t.read(p),
    list: (d) => t.list(d),
    rmdir: (p) => t.rmdir(p),
    disable: (p) => t.disable(p),
    remove: (f, l) => t.remove(f, l),
    pause: (ms) => t.pause(ms),
  };
}
