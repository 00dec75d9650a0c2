// SPDX-License-Identifier: GPL-2.0-only
// `vm` without root: as uid 65534 (setpriv) with a fresh HOME under /tmp, the
// kernel and QEMU are fetched into that HOME's cache by an unprivileged
// `apt-get download`, and a debian:6.12 guest boots and reports back (its
// results share under /tmp is bound back over the guest's tmpfs).
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInPath } from '../../src/host/programs.js';
import { buildDist, REQUIRED, ROOT, unavailable } from './helpers.js';

const setpriv = findInPath('setpriv');
const why =
  unavailable() ??
  (process.getuid?.() !== 0 ? 'needs root to switch to uid 65534' : !setpriv ? 'no setpriv (util-linux)' : undefined);
if (why && !REQUIRED) console.warn(`SKIP vm as an unprivileged user: ${why}`);

describe.skipIf(why !== undefined && !REQUIRED)('vm as an unprivileged user (uid 65534, HOME under /tmp)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-vm-nobody-'));
  const asNobody = (args: string[], timeout: number) =>
    execa(
      setpriv!,
      [
        '--reuid',
        '65534',
        '--regid',
        '65534',
        '--clear-groups',
        process.execPath,
        path.join(ROOT, 'bin', 'tracefs-regress.js'),
        ...args,
      ],
      {
        env: { HOME: home, PATH: process.env.PATH },
        extendEnv: false,
        reject: false,
        timeout,
        stdin: 'ignore',
        cwd: ROOT,
      },
    );
  beforeAll(async () => {
    if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
    fs.chownSync(home, 65534, 65534);
    await buildDist();
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('vm --help', async () => {
    const r = await asNobody(['vm', '--help'], 60_000);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('--fetch-only');
  });

  it('vm --fetch-only --kernel debian:6.12 fetches into its own cache', async () => {
    const r = await asNobody(['vm', '--fetch-only', '--kernel', 'debian:6.12'], 600_000);
    expect(r.exitCode, r.stderr).toBe(0);
    const vmlinuz = /^debian:6\.12 \S+ (\S+)$/m.exec(r.stdout)?.[1];
    expect(vmlinuz?.startsWith(`${home}/.cache/tracefs-regress/kernels/`)).toBe(true);
    expect(fs.statSync(vmlinuz!).uid).toBe(65534);
  }, 600_000);

  it('boots debian:6.12 and gets its results back', async () => {
    const out = path.join(home, 'report.json');
    const r = await asNobody(
      [
        'vm',
        '--kernel',
        'debian:6.12',
        '--timeout',
        '10m',
        '--',
        '-s',
        'removed-files-enoent',
        '-p',
        'uprobe',
        '-fjson',
        `-o${out}`,
      ],
      900_000,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as { results: { name: string; status: string }[] };
    expect(report.results.map((x) => `${x.name} ${x.status}`)).toEqual(['removed-files-enoent[uprobe] PASS']);
  }, 900_000);
});
