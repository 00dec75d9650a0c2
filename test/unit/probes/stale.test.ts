import { describe, expect, it } from 'vitest';
import {
  parseOwnedEvents,
  ownerPid,
  removeStale,
  BUSY_RETRY_MS,
  type CleanupReport,
  type StaleSys,
} from '../../../src/probes/stale.js';
import { SysError, type Result } from '../../../src/native/types.js';

describe('finding our events in control files', () => {
  it('finds tfsr_ groups in kprobe/uprobe/dynamic_events and ignores others', () => {
    const text = [
      'p:kprobes/p_do_sys_open do_sys_open',
      'p:tfsr_4242_a1b2c3/e1 do_sys_openat2',
      'r16:tfsr_77_00ff00/r2 vfs_read',
      'p:tfsrX_1_ab/e /bin/true:0x23d0',
      'p:mytfsr_1_ab/e /bin/true:0x23d0',
      'f:tfsr_5_abcdef/e3 vfs_read',
    ].join('\n');
    expect(parseOwnedEvents('/t/dynamic_events', text)).toEqual([
      { file: '/t/dynamic_events', group: 'tfsr_4242_a1b2c3', event: 'e1', pid: 4242 },
      { file: '/t/dynamic_events', group: 'tfsr_77_00ff00', event: 'r2', pid: 77 },
      { file: '/t/dynamic_events', group: 'tfsr_5_abcdef', event: 'e3', pid: 5 },
    ]);
  });

  it('finds synthetic events by name', () => {
    const text = 'tfsr_9_abcdef_e1 u64 tfsr_value\nwakeup_latency u64 lat\n';
    expect(parseOwnedEvents('/t/synthetic_events', text)).toEqual([
      { file: '/t/synthetic_events', group: 'synthetic', event: 'tfsr_9_abcdef_e1', pid: 9 },
    ]);
    expect(parseOwnedEvents('/t/dynamic_events', 's:synthetic/tfsr_9_abcdef_e1 u64 tfsr_value')).toHaveLength(1);
    expect(parseOwnedEvents('/t/dynamic_events', 's:synthetic/wakeup_latency u64 lat')).toHaveLength(0);
  });

  it('reads the owner pid of instance names', () => {
    expect(ownerPid('tfsr_123_abcdef_i4')).toBe(123);
    expect(ownerPid('foreign')).toBeUndefined();
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
  /** Runs once, at the first disable: lets another cleanup run "at the same time". */
  onFirstDisable: (() => void) | undefined;

  read(path: string): string {
    return (this.events.get(path.replace('/t/', '')) ?? []).join('\n');
  }
  list(dir: string): string[] {
    return dir === '/t/instances' ? [...this.instances] : [];
  }
  rmdir(path: string): Result<number> {
    this.calls.push(`rmdir ${path}`);
    const name = path.replace('/t/instances/', '');
    const busy = this.busy.get(name) ?? 0;
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

/** Leftovers of dead run 42: an instance, a kprobe, a uprobe and a synthetic event. */
function leftovers(): FakeTracefs {
  const t = new FakeTracefs();
  t.instances.add('tfsr_42_abcdef_i1');
  t.instances.add('foreign_instance');
  t.events.set('kprobe_events', ['p:tfsr_42_abcdef/e1 vfs_read', 'p:kprobes/mine do_sys_open']);
  t.events.set('uprobe_events', ['p:tfsr_42_abcdef/e2 /usr/bin/true:0x23d0']);
  t.events.set('synthetic_events', ['tfsr_42_abcdef_s3 u64 tfsr_value']);
  return t;
}
const dead = (pid: number) => pid !== 42;
const ALL_OF_42 = [
  'instances/tfsr_42_abcdef_i1',
  'tfsr_42_abcdef/e1',
  'tfsr_42_abcdef/e2',
  'synthetic/tfsr_42_abcdef_s3',
];

describe('removeStale with two cleanups at once (issue 11 item 8)', () => {
  it('removes what a dead run left, and nothing foreign', () => {
    const t = leftovers();
    const r = removeStale('/t', dead, t);
    expect(r).toEqual({
      removedInstances: ['tfsr_42_abcdef_i1'],
      removedEvents: ['tfsr_42_abcdef/e1', 'tfsr_42_abcdef/e2', 'synthetic/tfsr_42_abcdef_s3'],
      alreadyGone: [],
      failed: [],
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
    expect(r.removedEvents).toEqual(['tfsr_42_abcdef/e1', 'synthetic/tfsr_42_abcdef_s3']);
  });

  it('an instance rmdir that gets ENODEV (the kernel found no such trace array: another rmdir of it won) is already gone', () => {
    // Seen live with two cleanups at once before this fix: 'rmdir ENODEV', exit 1.
    const t = leftovers();
    const r = removeStale('/t', dead, { ...bind(t), rmdir: () => new SysError('rmdir', 19, 'ENODEV') });
    expect(r.failed).toEqual([]);
    expect(r.alreadyGone).toEqual(['instances/tfsr_42_abcdef_i1']);
  });

  it('an instance held open for good (EBUSY) still fails, after the short retries', () => {
    const t = leftovers();
    t.busy.set('tfsr_42_abcdef_i1', Infinity);
    const r = removeStale('/t', dead, t);
    expect(r.failed).toEqual(['instances/tfsr_42_abcdef_i1: rmdir EBUSY']);
    expect(t.calls.filter((c) => c.startsWith('rmdir') || c.startsWith('pause'))).toEqual([
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
    expect(r.removedEvents).toEqual(['tfsr_42_abcdef/e2', 'synthetic/tfsr_42_abcdef_s3']);
  });

  it('leaves a live run alone', () => {
    const t = leftovers();
    const r = removeStale('/t', () => true, t);
    expect(r).toEqual({ removedEvents: [], removedInstances: [], alreadyGone: [], failed: [] });
    expect(t.calls).toEqual([]);
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
