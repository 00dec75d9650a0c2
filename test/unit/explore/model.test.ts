// SPDX-License-Identifier: GPL-2.0-only
// The model against planted executions: each planted regression's shape
// (test/mutants/*.patch) is flagged, and what correct kernels do (6.1, 6.12,
// 6.18, 7.3: kernel-facts) is accepted, including where they differ.
import { describe, expect, it } from 'vitest';
import type { CallAction } from '../../../src/explore/types.js';
import { act, bytes, entries, judge, type Planted } from './fixtures.js';

const R = '{root}';
const EV = `${R}/events/{id}_g1/e1`;
const GROUP = `${R}/events/{id}_g1`;
const INST = `${R}/instances/{id}_i1`;

/** Control fd at 0, e1 of group 1 created at 1 (uprobe). */
const created: [CallAction, Planted][] = [
  [act.open(`${R}/uprobe_events`, 'control'), 'OK'],
  [act.write(0, 'p:{id}_g1/e1 {target}'), 'OK'],
];
const remove: [CallAction, Planted] = [act.write(0, '-:{id}_g1/e1'), 'OK'];
const recreate: [CallAction, Planted] = [act.write(0, 'p:{id}_g1/e1 {target}'), 'OK'];

describe('model: the planted regressions are flagged', () => {
  it('01 revalidate-always-valid: stat of a removed, warmed file succeeds', () => {
    const v = judge([...created, [act.stat(`${EV}/enable`), 'OK'], remove, [act.stat(`${EV}/enable`), 'OK']]);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ action: 4, op: 'stat', path: `${EV}/enable`, got: 'success' });
    expect(v[0]!.expected).toMatch(/^ENOENT/);
  });

  it('01: a held dirfd still resolves names after the same name is created again', () => {
    const v = judge([...created, [act.open(EV, 'path'), 'OK'], remove, recreate, [act.fstatat(2, 'enable'), 'OK']]);
    expect(v.map((x) => x.action)).toEqual([5]);
  });

  it('01: a cwd inside the removed event dir still opens "enable"', () => {
    const v = judge([...created, [act.chdir(EV), 'OK'], remove, [act.open('enable', 'ro'), 'OK']]);
    expect(v.map((x) => [x.action, x.path])).toEqual([[4, '<cwd>/enable']]);
  });

  it('01: a group dir whose last event went stays listable with the event in it', () => {
    const v = judge([...created, [act.open(GROUP, 'dir'), 'OK'], remove, [act.getdents(2), entries('.', '..', 'e1')]]);
    expect(v.map((x) => x.action)).toEqual([4]);
  });

  it('02 revalidate-and-open-freed: an open of the removed file succeeds', () => {
    const v = judge([
      ...created,
      [act.open(`${EV}/format`, 'ro'), 'OK'],
      remove,
      [act.open(`${EV}/format`, 'ro'), 'OK'],
    ]);
    expect(v.map((x) => x.action)).toEqual([4]);
  });

  it('03 enable-read-ignores-freed: a read through an enable fd kept across removal gives "0"', () => {
    const v = judge([...created, [act.open(`${EV}/enable`, 'rw'), 'OK'], remove, [act.pread(2), bytes('0\n')]]);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ action: 4, op: 'pread', got: 'success ("0\\n")' });
    expect(v[0]!.expected).toMatch(/^ENODEV/);
  });

  it('04 remove-enabled-event: removal of an enabled event succeeds', () => {
    const v = judge([...created, [act.open(`${EV}/enable`, 'wo'), 'OK'], [act.write(2, '1'), 'OK'], remove]);
    expect(v.map((x) => [x.action, x.got])).toEqual([[4, 'success']]);
    expect(v[0]!.expected).toMatch(/^EBUSY/);
  });

  it('04: removal of an event enabled only in an instance succeeds', () => {
    const v = judge([
      [act.mkdir(INST), 'OK'],
      [act.open(`${R}/uprobe_events`, 'control'), 'OK'],
      [act.write(1, 'p:{id}_g1/e1 {target}'), 'OK'],
      [act.open(`${INST}/events/{id}_g1/e1/enable`, 'wo'), 'OK'],
      [act.write(3, '1'), 'OK'],
      [act.write(1, '-:{id}_g1/e1'), 'OK'],
    ]);
    expect(v.map((x) => x.action)).toEqual([5]);
  });

  it('07 warn-on-held-enable-write: the write itself gives ENODEV, so only the health oracle sees it', () => {
    // The model accepts the kernel's answer; the mutant shows as warn_count/taint (src/health).
    expect(judge([...created, [act.open(`${EV}/enable`, 'rw'), 'OK'], remove, [act.write(2, '1'), 'ENODEV']])).toEqual(
      [],
    );
    // A write that went through would be the model's to flag.
    expect(judge([...created, [act.open(`${EV}/enable`, 'rw'), 'OK'], remove, [act.write(2, '1'), 'OK']])).toHaveLength(
      1,
    );
  });

  it('a re-created event is not enabled by a write through the old enable fd (recreate-fresh)', () => {
    const v = judge([
      ...created,
      [act.open(`${EV}/enable`, 'rw'), 'OK'],
      remove,
      recreate,
      [act.write(2, '1'), 'ENODEV'],
      [act.open(`${EV}/enable`, 'ro'), 'OK'],
      [act.pread(6), bytes('1\n')],
    ]);
    expect(v.map((x) => x.action)).toEqual([7]);
    expect(v[0]!.expected).toBe('reads 0');
  });
});

describe('model: what correct kernels do is accepted', () => {
  it('the fd-across-removal sequence, id still readable, close clean, reopen ENOENT', () => {
    const steps: [CallAction, Planted][] = [...created];
    const files = ['enable', 'filter', 'trigger', 'format', 'id'];
    for (const f of files) steps.push([act.open(`${EV}/${f}`, f === 'format' || f === 'id' ? 'ro' : 'rw'), 'OK']);
    steps.push(remove);
    files.forEach((f, k) => steps.push([act.pread(2 + k), f === 'id' ? bytes('1234\n') : 'ENODEV']));
    files.forEach((f, k) => steps.push([act.pread(2 + k), 'ENODEV'])); // id: ENODEV is fine too
    for (const k of [2, 3, 4]) steps.push([act.write(k, '1'), 'ENODEV']);
    for (const k of [2, 3, 4, 5, 6]) steps.push([act.close(k), 'OK']);
    for (const f of files) steps.push([act.open(`${EV}/${f}`, 'ro'), 'ENOENT']);
    expect(judge(steps)).toEqual([]);
  });

  it('enabled-removal-ebusy: EBUSY, then 0, then removal, then ENOENT', () => {
    expect(
      judge([
        ...created,
        [act.open(`${EV}/enable`, 'rw'), 'OK'],
        [act.write(2, '1'), 'OK'],
        [act.write(0, '-:{id}_g1/e1'), 'EBUSY'],
        [act.pread(2), bytes('1\n')],
        [act.write(2, '0'), 'OK'],
        remove,
        [act.stat(`${EV}/enable`), 'ENOENT'],
        [act.access(EV), 'ENOENT'],
        [act.stat(GROUP), 'ENOENT'],
      ]),
    ).toEqual([]);
  });

  it('held-dirfd-enoent: getdents of a stale dir gives . and .., or EINVAL on a second call', () => {
    expect(
      judge([
        ...created,
        [act.open(EV, 'dir'), 'OK'],
        [act.open(GROUP, 'path'), 'OK'],
        remove,
        [act.getdents(2), entries('.', '..')],
        [act.getdents(2), 'EINVAL'],
        [act.getdents(3), 'EBADF'],
        [act.openat(3, 'e1/enable', 'ro'), 'ENOENT'],
        recreate,
        [act.fstatat(2, 'format'), 'ENOENT'],
        [act.stat(`${EV}/format`), 'OK'],
      ]),
    ).toEqual([]);
  });

  it('a sibling keeps the group: a group dirfd still reaches the sibling and the re-created event', () => {
    expect(
      judge([
        ...created,
        [act.write(0, 'p:{id}_g1/e2 {target}'), 'OK'],
        [act.open(GROUP, 'dir'), 'OK'],
        remove,
        [act.getdents(3), entries('.', '..', 'e2')],
        [act.fstatat(3, 'e2/enable'), 'OK'],
        [act.fstatat(3, 'e1/enable'), 'ENOENT'],
        recreate,
        [act.fstatat(3, 'e1/enable'), 'OK'],
      ]),
    ).toEqual([]);
  });

  it('cwd-inside-removed: relative lookups ENOENT, stat(".") works, getcwd ENOENT or not', () => {
    expect(
      judge([
        ...created,
        [act.chdir(EV), 'OK'],
        [act.stat('enable'), 'OK'],
        remove,
        [act.stat('enable'), 'ENOENT'],
        [act.open('../e1/enable', 'ro'), 'ENOENT'],
        [act.stat('.'), 'OK'],
        [act.getcwd(), 'ENOENT'],
        [act.getcwd(), { ok: 'string' }],
        recreate,
        [act.stat('enable'), 'ENOENT'],
        [act.open('../e1/enable', 'ro'), 'ENOENT'],
      ]),
    ).toEqual([]);
  });

  it('instance-files: rmdir EBUSY while its enable is open, then fine; duplicate and missing names', () => {
    expect(
      judge([
        [act.mkdir(INST), 'OK'],
        [act.mkdir(INST), 'EEXIST'],
        [act.open(`${R}/uprobe_events`, 'control'), 'OK'],
        [act.write(2, 'p:{id}_g1/e1 {target}'), 'OK'],
        [act.write(2, 'p:{id}_g1/e1 {target}'), 'EEXIST'],
        [act.open(`${INST}/events/{id}_g1/e1/enable`, 'ro'), 'OK'],
        [act.rmdir(INST), 'EBUSY'],
        [act.close(5), 'OK'],
        [act.rmdir(INST), 'OK'],
        [act.rmdir(INST), 'ENOENT'],
        [act.stat(`${INST}/events/{id}_g1/e1/enable`), 'ENOENT'],
        [act.write(2, '-:{id}_g1/e1'), 'OK'],
        [act.write(2, '-:{id}_g1/e1'), 'ENOENT'],
      ]),
    ).toEqual([]);
  });

  it('instance-files: an enable fd kept across the removal of its event still pins the instance (7.3.4, explore seed 8)', () => {
    const steps: [CallAction, Planted][] = [
      [act.mkdir(INST), 'OK'],
      [act.open(`${R}/uprobe_events`, 'control'), 'OK'],
      [act.write(1, 'p:{id}_g1/e1 {target}'), 'OK'],
      [act.open(`${INST}/events/{id}_g1/e1/enable`, 'ro'), 'OK'],
      [act.write(1, '-:{id}_g1/e1'), 'OK'],
    ];
    expect(judge([...steps, [act.rmdir(INST), 'EBUSY'], [act.close(3), 'OK'], [act.rmdir(INST), 'OK']])).toEqual([]);
    // Planted: a kernel that let the instance go while the fd pins it.
    expect(judge([...steps, [act.rmdir(INST), 'OK']])).toMatchObject([{ action: 5, op: 'rmdir', got: 'success' }]);
  });

  it('kprobe_events and uprobe_events remove only their own kind (ENOENT), dynamic_events any', () => {
    const kprobes: [CallAction, Planted] = [act.open(`${R}/kprobe_events`, 'control'), 'OK'];
    expect(judge([...created, kprobes, [act.write(2, '-:{id}_g1/e1'), 'ENOENT'], remove])).toEqual([]);
    const dynamic: [CallAction, Planted] = [act.open(`${R}/dynamic_events`, 'control'), 'OK'];
    expect(judge([...created, dynamic, [act.write(2, '-:{id}_g1/e1'), 'OK']])).toEqual([]);
    // Planted: a kernel whose kprobe_events removed a uprobe.
    expect(judge([...created, kprobes, [act.write(2, '-:{id}_g1/e1'), 'OK']])).toMatchObject([
      { action: 3, got: 'success' },
    ]);
  });

  it('mistyped opens (a mutated flag): ENOTDIR for a file as a dir, EISDIR for a dir opened to write', () => {
    expect(
      judge([
        ...created,
        [act.open(`${EV}/enable`, 'dir'), 'ENOTDIR'],
        [act.open(EV, 'wo'), 'EISDIR'],
        [act.open(EV, 'path'), 'OK'],
        remove,
        [act.open(`${EV}/enable`, 'dir'), 'ENOENT'],
      ]),
    ).toEqual([]);
  });

  it('a planted wrong errno on a correct-looking step is still flagged (the model can fail)', () => {
    const v = judge([
      [act.mkdir(INST), 'OK'],
      [act.mkdir(INST), 'OK'],
    ]);
    expect(v.map((x) => x.expected)).toEqual(['EEXIST (the instance exists)']);
  });
});

describe('model: eprobes on a dynamic event', () => {
  const base: [CallAction, Planted][] = [
    [act.open(`${R}/uprobe_events`, 'control'), 'OK'],
    [act.open(`${R}/dynamic_events`, 'control'), 'OK'],
    [act.write(0, 'p:{id}_g1/e1 {target}'), 'OK'],
  ];
  it('allows EBUSY or success for removing a base with an eprobe on it, and either errno for a missing base', () => {
    for (const got of ['OK', 'EBUSY'])
      expect(
        judge([...base, [act.write(1, 'e:{id}_g2/e1 {id}_g1.e1'), 'OK'], [act.write(0, '-:{id}_g1/e1'), got]]),
      ).toEqual([]);
    for (const got of ['ENOENT', 'EINVAL'])
      expect(judge([base[0]!, base[1]!, [act.write(1, 'e:{id}_g2/e1 {id}_g1.e1'), got]])).toEqual([]);
  });
  it('still flags an eprobe created on a missing base', () => {
    expect(judge([base[0]!, base[1]!, [act.write(1, 'e:{id}_g2/e1 {id}_g1.e1'), 'OK']])).toHaveLength(1);
  });
});
