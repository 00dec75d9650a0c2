// SPDX-License-Identifier: GPL-2.0-only
// Removing dead runs' private tracefs mounts (src/tracefs/mount.ts) over a
// planted MountSys: a live run holds its mount point open, so its plain
// umount is EBUSY and it stays; a SIGKILLed run's is unmounted and its
// directory removed; look-alike names and this run's own mount are never touched.
import { describe, expect, it } from 'vitest';
import { removeDeadPrivateMounts, describeMountCleanup, type MountSys } from '../../../src/tracefs/mount.js';
import { privateMounts, type MountEntry } from '../../../src/tracefs/mountinfo.js';
import { SysError, type Result } from '../../../src/native/types.js';

const tracefs = (mountPoint: string): MountEntry => ({
  mountPoint,
  fsType: 'tracefs',
  source: 'nodev',
  options: ['rw'],
});

class FakeMounts implements MountSys {
  readonly calls: string[] = [];
  readonly held = new Set<string>();
  readonly dirs = new Set<string>();
  constructor(public entries: MountEntry[]) {
    for (const e of entries) this.dirs.add(e.mountPoint);
  }
  mounts(): MountEntry[] {
    return this.entries;
  }
  umount(dir: string): Result<number> {
    this.calls.push(`umount ${dir}`);
    if (this.held.has(dir)) return new SysError('umount2', 16, 'EBUSY');
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.mountPoint !== dir);
    return this.entries.length < before ? 0 : new SysError('umount2', 22, 'EINVAL');
  }
  rmdir(dir: string): Result<number> {
    this.calls.push(`rmdir ${dir}`);
    return this.dirs.delete(dir) ? 0 : new SysError('rmdir', 2, 'ENOENT');
  }
}

const DEAD = '/tmp/tfsr-tracefs-4242-AbC123';
const LIVE = '/tmp/tfsr-tracefs-77-zzzzzz';
const OWN = '/tmp/tfsr-tracefs-1-aaaaaa';

describe('removeDeadPrivateMounts', () => {
  it("unmounts and removes a dead run's mount, leaves a held one and our own", () => {
    const m = new FakeMounts([tracefs('/sys/kernel/tracing'), tracefs(DEAD), tracefs(LIVE), tracefs(OWN)]);
    m.held.add(LIVE);
    const r = removeDeadPrivateMounts(OWN, m);
    expect(r).toEqual({ removed: [DEAD], alive: [LIVE], failed: [] });
    expect(m.calls).toEqual([`umount ${DEAD}`, `rmdir ${DEAD}`, `umount ${LIVE}`]);
    expect(describeMountCleanup(r)).toEqual([
      `removed the private tracefs mount of a dead run: ${DEAD}`,
      `left the private tracefs mount ${LIVE}: its run holds it open (alive)`,
    ]);
  });

  it('never touches /sys/kernel/tracing, other filesystems or names that only start like ours', () => {
    const entries = [
      tracefs('/sys/kernel/tracing'),
      tracefs('/tmp/tfsr-tracefs-mine'),
      tracefs('/tmp/tfsr-tracefs-12-abcdef/x'),
      tracefs('/tmp/tfsr-tracefs-12-abcdefg'),
      { ...tracefs('/tmp/tfsr-tracefs-12-abcdef'), fsType: 'tmpfs' },
    ];
    expect(privateMounts(entries)).toEqual([]);
    const m = new FakeMounts(entries);
    expect(removeDeadPrivateMounts(undefined, m)).toEqual({ removed: [], alive: [], failed: [] });
    expect(m.calls).toEqual([]);
  });

  it('two cleanups at once: the one that finds it unmounted already (EINVAL) and the directory gone is fine', () => {
    const m = new FakeMounts([tracefs(DEAD)]);
    const stale = m.entries;
    expect(removeDeadPrivateMounts(undefined, m).removed).toEqual([DEAD]);
    m.entries = stale; // the second cleanup read mountinfo before the first unmounted
    expect(removeDeadPrivateMounts(undefined, m)).toEqual({ removed: [DEAD], alive: [], failed: [] });
  });

  it('another umount error leaves the mount and reports it', () => {
    const m = new FakeMounts([tracefs(DEAD)]);
    const r = removeDeadPrivateMounts(undefined, {
      ...m,
      mounts: () => m.mounts(),
      umount: () => new SysError('umount2', 1, 'EPERM'),
      rmdir: (d) => m.rmdir(d),
    });
    expect(r.failed).toEqual([`${DEAD}: umount EPERM`]);
    expect(r.removed).toEqual([]);
  });
});
