// SPDX-License-Identifier: GPL-2.0-only
// The lease a run holds (src/probes/lease.ts) over a planted LeaseSys: taken
// before anything else, taken again when a cleanup removes it between mkdir
// and open, closed and removed last; and Ownership gives it up only after
// its objects.
import { describe, expect, it } from 'vitest';
import { Lease, type LeaseSys } from '../../../src/probes/lease.js';
import { Ownership } from '../../../src/probes/ownership.js';
import { SysError, type Result } from '../../../src/native/types.js';
import { EnvironmentError } from '../../../src/errors.js';

class FakeLeaseSys implements LeaseSys {
  readonly calls: string[] = [];
  readonly dirs = new Set<string>();
  instances = true;
  /** Runs after each mkdir: lets a cleanup "remove" the lease before the open. */
  afterMkdir: ((dir: string) => void) | undefined;
  exists(p: string): boolean {
    return this.instances && p.endsWith('/instances');
  }
  mkdir(p: string): Result<number> {
    this.calls.push(`mkdir ${p}`);
    if (this.dirs.has(p)) return new SysError('mkdir', 17, 'EEXIST');
    this.dirs.add(p);
    this.afterMkdir?.(p);
    return 0;
  }
  open(p: string): Result<number> {
    this.calls.push(`open ${p}`);
    return this.dirs.has(p.slice(0, p.lastIndexOf('/'))) ? 7 : new SysError('open', 2, 'ENOENT');
  }
  close(fd: number): Result<number> {
    this.calls.push(`close ${fd}`);
    return 0;
  }
  rmdir(p: string): Result<number> {
    this.calls.push(`rmdir ${p}`);
    return this.dirs.delete(p) ? 0 : new SysError('rmdir', 2, 'ENOENT');
  }
  write(p: string, data: string): Result<number> {
    this.calls.push(`write ${p} ${data}`);
    return data.length;
  }
}

const ID = 'tfsr_42_abcdef';
const DIR = '/t/instances/tfsr_42_abcdef_lease';

describe('Lease', () => {
  it('mkdirs the lease and holds tracing_on open; release closes it, then removes the lease', () => {
    const sys = new FakeLeaseSys();
    const l = Lease.take('/t', ID, sys)!;
    expect(l.held).toBe(true);
    expect(l.release()).toEqual([]);
    expect(sys.calls).toEqual([
      `mkdir ${DIR}`,
      `open ${DIR}/tracing_on`,
      `write ${DIR}/buffer_size_kb 1`, // a lease records nothing: smallest ring buffers
      'close 7',
      `rmdir ${DIR}`,
    ]);
    expect(l.held).toBe(false);
    expect(l.release()).toEqual([]); // twice is harmless
  });

  it('taken again when a cleanup removed it between mkdir and open (it had no objects: looked dead)', () => {
    const sys = new FakeLeaseSys();
    let stolen = 0;
    sys.afterMkdir = (d) => void (stolen++ < 2 && sys.dirs.delete(d));
    expect(Lease.take('/t', ID, sys)!.held).toBe(true);
    expect(sys.calls.filter((c) => c.startsWith('mkdir'))).toHaveLength(3);
  });

  it('a lease it cannot take is an environment error, not a run without one', () => {
    const sys = new FakeLeaseSys();
    sys.mkdir = () => new SysError('mkdir', 13, 'EACCES');
    expect(() => Lease.take('/t', ID, sys)).toThrow(EnvironmentError);
  });

  it('no instances on this kernel: no lease (the pid test instead)', () => {
    const sys = new FakeLeaseSys();
    sys.instances = false;
    expect(Lease.take('/t', ID, sys)).toBeUndefined();
    expect(sys.calls).toEqual([]);
  });

  it('a lease a cleanup removed after we closed it counts as removed', () => {
    const sys = new FakeLeaseSys();
    const l = Lease.take('/t', ID, sys)!;
    sys.dirs.clear();
    expect(l.release()).toEqual([]);
  });
});

describe('Ownership and its lease', () => {
  const noTeardown = () => () => {};

  it('takes the lease in the constructor and gives it up at close (pid note only without instances)', () => {
    const sys = new FakeLeaseSys();
    const o = new Ownership('/t', noTeardown, ID, sys);
    expect(o.test).toBe('lease');
    expect(o.notes).toEqual([]);
    expect(sys.calls).toEqual([`mkdir ${DIR}`, `open ${DIR}/tracing_on`, `write ${DIR}/buffer_size_kb 1`]);
    expect(o.close()).toEqual([]);
    expect(sys.calls.slice(-2)).toEqual(['close 7', `rmdir ${DIR}`]);

    const none = new FakeLeaseSys();
    none.instances = false;
    const p = new Ownership('/t', noTeardown, ID, none);
    expect(p.test).toBe('pid');
    expect(p.notes[0]).toMatch(/^ownership: pid test \(no instances on this kernel\)/);
  });

  it('the teardown step (signals) releases the lease too', () => {
    const sys = new FakeLeaseSys();
    let step: (() => void) | undefined;
    new Ownership('/t', (_n, fn) => ((step = fn), () => {}), ID, sys);
    step!();
    expect(sys.calls.slice(-2)).toEqual(['close 7', `rmdir ${DIR}`]);
  });

  it('names come from the grammar: groups, instances and events of this run only', () => {
    const o = new Ownership('/t', noTeardown, ID, new FakeLeaseSys());
    expect(o.newGroup()).toBe(`${ID}_g1`);
    expect(o.newInstance()).toBe(`/t/instances/${ID}_i2`);
    expect(() => o.newProbe('uprobe', { group: `${ID}x` })).toThrow(/does not own/);
    expect(() => new Ownership('/t', noTeardown, 'tfsr_debug', new FakeLeaseSys())).toThrow(/not a run id/);
  });
});
