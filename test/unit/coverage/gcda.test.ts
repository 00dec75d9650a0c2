// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectGcda, GCOV_MISSING, mapGcdaPath } from '../../../src/coverage/gcda.js';

const OBJ = '/root/.cache/tracefs-regress/build/tiny-coverage/tree/out';

describe('mapGcdaPath', () => {
  it("maps the guest's debugfs path onto the object dir", () => {
    expect(mapGcdaPath(`${OBJ.slice(1)}/fs/tracefs/inode.gcda`, OBJ)).toBe('fs/tracefs/inode.gcda');
    expect(mapGcdaPath(`${OBJ.slice(1)}/kernel/trace/trace_events.gcda`, `${OBJ}/`)).toBe(
      'kernel/trace/trace_events.gcda',
    );
  });

  it.each([
    ['another build dir', 'root/.cache/tracefs-regress/build/clean/tree/out/fs/tracefs/inode.gcda'],
    ['a .gcno', `${OBJ.slice(1)}/fs/tracefs/inode.gcno`],
    ['a climb out of the object dir', `${OBJ.slice(1)}/../../etc/x.gcda`],
    ['the object dir name as a prefix only', `${OBJ.slice(1)}x/fs/tracefs/inode.gcda`],
  ])('refuses %s', (_why, rel) => {
    expect(mapGcdaPath(rel, OBJ)).toBeInstanceOf(Error);
  });
});

describe('collectGcda', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gcda-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const read = (f: string) => fs.readFileSync(f);

  it('copies each .gcda next to a copy of its .gcno, and refuses one without a .gcno', () => {
    const obj = path.join(tmp(), 'out');
    fs.mkdirSync(path.join(obj, 'fs/tracefs'), { recursive: true });
    fs.writeFileSync(path.join(obj, 'fs/tracefs/inode.gcno'), 'NOTE');
    const share = tmp();
    const inGuest = path.join(share, obj.slice(1), 'fs/tracefs');
    fs.mkdirSync(inGuest, { recursive: true });
    fs.writeFileSync(path.join(inGuest, 'inode.gcda'), 'DATA');
    fs.writeFileSync(path.join(inGuest, 'event_inode.gcda'), 'DATA');
    const to = tmp();
    const r = collectGcda(share, obj, to, read);
    expect(r.copied).toEqual(['fs/tracefs/inode.gcda']);
    expect(r.refused).toEqual([expect.stringContaining('event_inode.gcda: no event_inode.gcno')]);
    expect(fs.readFileSync(path.join(to, 'fs/tracefs/inode.gcda'), 'utf8')).toBe('DATA');
    expect(fs.readFileSync(path.join(to, 'fs/tracefs/inode.gcno'), 'utf8')).toBe('NOTE');
    expect(r.missing).toBe(false);
  });

  it("reports the guest's note that the kernel has no gcov", () => {
    const share = tmp();
    fs.writeFileSync(path.join(share, GCOV_MISSING), 'no /sys/kernel/debug/gcov');
    expect(collectGcda(share, '/nowhere', tmp(), read)).toEqual({ copied: [], refused: [], missing: true });
    expect(collectGcda(path.join(share, 'absent'), '/nowhere', tmp(), read).missing).toBe(true);
  });

  it('refuses what the reader refuses (a link, a FIFO: not a regular file)', () => {
    const obj = path.join(tmp(), 'out');
    fs.mkdirSync(path.join(obj, 'fs'), { recursive: true });
    fs.writeFileSync(path.join(obj, 'fs/a.gcno'), 'NOTE');
    const share = tmp();
    fs.mkdirSync(path.join(share, obj.slice(1), 'fs'), { recursive: true });
    fs.writeFileSync(path.join(share, obj.slice(1), 'fs/a.gcda'), 'DATA');
    const r = collectGcda(share, obj, tmp(), () => undefined);
    expect(r.copied).toEqual([]);
    expect(r.refused).toEqual([expect.stringContaining('not a regular file')]);
  });
});
