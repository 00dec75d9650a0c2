// SPDX-License-Identifier: GPL-2.0-only
// The unprivileged child of the perm-* scenarios: its report is checked before
// it is believed, and it really runs without root's rights (a file only root
// may write is refused, one anybody may write is not: the check can fail).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { C, isErr, native } from '../../../src/native/index.js';
import {
  DENIED,
  UNPRIVILEGED_ID,
  parseChildReport,
  privilegeLeak,
  runUnprivileged,
  type ChildStep,
} from '../../../src/scenarios/perm-child.js';

const steps: ChildStep[] = [
  { op: 'stat', path: '/x' },
  { op: 'append', path: '/y', data: '1' },
];
const ok = (results: unknown[]) =>
  JSON.stringify({ uid: UNPRIVILEGED_ID, gid: UNPRIVILEGED_ID, groups: [UNPRIVILEGED_ID], results });

describe('perm-child: the report', () => {
  it('takes a report with one result per step, in order', () => {
    const r = parseChildReport(
      ok([
        { op: 'stat', path: '/x', got: 'success' },
        { op: 'append', path: '/y', syscall: 'open', got: 'EACCES' },
      ]),
      steps,
    );
    expect(r.results.map((x) => x.got)).toEqual(['success', 'EACCES']);
  });

  it('refuses no report, a missing result, and a result for another step', () => {
    expect(() => parseChildReport('', steps)).toThrow(/no report/);
    expect(() => parseChildReport(ok([{ op: 'stat', path: '/x', got: 'success' }]), steps)).toThrow(/1 results for 2/);
    expect(() =>
      parseChildReport(
        ok([
          { op: 'stat', path: '/x', got: 'success' },
          { op: 'append', path: '/elsewhere', got: 'EACCES' },
        ]),
        steps,
      ),
    ).toThrow(/does not match its step/);
  });

  it("calls a child that kept root's uid, gid or a group not unprivileged", () => {
    const r = { uid: UNPRIVILEGED_ID, gid: UNPRIVILEGED_ID, groups: [UNPRIVILEGED_ID], results: [] };
    expect(privilegeLeak(r, UNPRIVILEGED_ID)).toBeUndefined();
    expect(privilegeLeak({ ...r, uid: 0 }, UNPRIVILEGED_ID)).toMatch(/uid 0/);
    expect(privilegeLeak({ ...r, gid: 0 }, UNPRIVILEGED_ID)).toMatch(/gid 0/);
    expect(privilegeLeak({ ...r, groups: [0, UNPRIVILEGED_ID] }, UNPRIVILEGED_ID)).toMatch(/groups 0/);
  });
});

describe.skipIf(process.getuid?.() !== 0)('perm-child: a real child (needs root to drop to uid 65534)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-perm-'));
  fs.chmodSync(dir, 0o755);
  const rootOnly = path.join(dir, 'root-only');
  const anyone = path.join(dir, 'anyone');
  fs.writeFileSync(rootOnly, '');
  fs.chmodSync(rootOnly, 0o600);
  fs.writeFileSync(anyone, '');
  fs.chmodSync(anyone, 0o666);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs as 65534 with no other group', () => {
    const r = runUnprivileged([{ op: 'stat', path: dir }]);
    expect(privilegeLeak(r, UNPRIVILEGED_ID)).toBeUndefined();
    expect(r.results[0]!.got).toBe('success');
  });

  it('is refused a root-only file by path and through an O_PATH fd, and is not refused an open one', () => {
    const byPath = runUnprivileged([
      { op: 'append', path: rootOnly, data: 'x' },
      { op: 'append', path: anyone, data: 'y' },
    ]);
    expect(byPath.results.map((x) => `${x.syscall ?? ''}:${x.got}`)).toEqual(['open:EACCES', ':success']);
    expect(DENIED).toContain(byPath.results[0]!.got);
    for (const [file, want] of [
      [rootOnly, 'EACCES'],
      [anyone, 'success'],
    ] as const) {
      const fd = native.open(file, C.O_PATH);
      if (isErr(fd)) throw new Error(String(fd));
      try {
        const r = runUnprivileged([{ op: 'append-via-fd', path: file, data: 'z' }], { pathFd: fd });
        expect(r.results[0]!.got, file).toBe(want);
      } finally {
        native.close(fd);
      }
    }
    expect(fs.readFileSync(rootOnly, 'utf8')).toBe('');
    expect(fs.readFileSync(anyone, 'utf8')).toBe('yz');
  });
});
