// SPDX-License-Identifier: GPL-2.0-only
// The checks of perm-remount-gid against planted input: a file whose gid does
// not follow the mount, a restore whose mountinfo line differs, a failed
// restore remount, and the scenario's refusal to remount without permission.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { native, SysError } from '../../../src/native/index.js';
import { Checks } from '../../../src/scenarios/checks.js';
import { NEEDS_REMOUNT, expectGid, judgeRestore, scenario } from '../../../src/scenarios/perm-remount-gid.js';
import type { ScenarioContext } from '../../../src/scenarios/types.js';

describe('perm-remount-gid checks', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-gid-'));
  const file = path.join(dir, 'f');
  fs.writeFileSync(file, '');
  const gid = fs.statSync(file).gid;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes a path with the expected gid', () => {
    const e = new Checks();
    expectGid(native, e, [file, dir], gid, 'after remount');
    expect(e.outcome()).toMatchObject({ status: 'PASS', checks: 4 });
  });

  it('fails a path whose gid is not the mount one (planted wrong gid), and one that is gone', () => {
    const e = new Checks();
    expectGid(native, e, [file, path.join(dir, 'missing')], gid + 4242, 'after remount');
    expect(e.outcome().status).toBe('FAIL');
    expect(e.evidence).toEqual([
      { op: 'gid (after remount)', path: file, expected: `gid ${gid + 4242}`, got: `gid ${gid}` },
      { op: 'stat (after remount)', path: path.join(dir, 'missing'), expected: 'success', got: 'ENOENT' },
    ]);
  });

  it('passes an exact restore and fails one whose line differs, with both lines as evidence', () => {
    const good = new Checks();
    judgeRestore(good, '/sys/kernel/tracing', { mount: 0, diffs: [] });
    expect(good.outcome()).toMatchObject({ status: 'PASS', checks: 2 });

    const bad = new Checks();
    const before = '44 22 0:13 / /sys/kernel/tracing rw,relatime - tracefs nodev rw';
    const after = `${before},gid=4242`;
    judgeRestore(bad, '/sys/kernel/tracing', { mount: 0, diffs: [{ mountId: '44', before, after }] });
    expect(bad.outcome().status).toBe('FAIL');
    expect(bad.evidence).toEqual([
      {
        op: '/proc/self/mountinfo line after the restore',
        path: '/sys/kernel/tracing (mount id 44)',
        expected: before,
        got: after,
      },
    ]);
  });

  it('fails a restore remount that the kernel refused', () => {
    const e = new Checks();
    judgeRestore(e, '/t', { mount: new SysError('mount', 22, 'EINVAL'), diffs: [] });
    expect(e.evidence.map((x) => x.got)).toEqual(['EINVAL']);
  });

  it('is UNSUPPORTED, touching nothing, without allowRemount', async () => {
    const untouchable = new Proxy({} as ScenarioContext, {
      get: (_t, k) => {
        if (k === 'options') return { durationMs: 1, threads: 1 };
        throw new Error(`touched ctx.${String(k)}`);
      },
    });
    expect(await scenario.run(untouchable)).toEqual({
      status: 'UNSUPPORTED',
      reason: NEEDS_REMOUNT,
      evidence: [],
      checks: 0,
    });
  });
});
