// SPDX-License-Identifier: GPL-2.0-only
// The kselftest wrapper (kselftest/) under the kernel's own runner
// (run_kselftest.sh and kselftest/runner.sh of Debian's linux-source-6.12),
// laid out as `make install` lays out a collection: in a debian:6.12 guest
// the suite runs and the runner reports it; on the host (no tracefs touched
// or one safe scenario) run.sh's exit codes come out as the runner's SKIP and
// `# exit=1`. The runner's own lines are checked strictly; the nested KTAP
// (our output, `# `-prefixed) by the grammar only, so a change in how we
// stream it still parses.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debianSource } from '../../src/kernel/source.js';
import { buildDist, execVm, REQUIRED, ROOT, unavailable, type VmExec } from './helpers.js';

const GUEST = path.join(ROOT, 'test/vm/fixtures/kselftest-guest.sh');
const BIN = path.join(ROOT, 'bin/tracefs-regress.js');
const HEADER = 'selftests: tracefs-regress: run.sh';
const why = unavailable();
if (why && !REQUIRED) console.warn(`SKIP kselftest wrapper: ${why}`);

/** The runner's own lines (unprefixed) and the nested output (its `# ` prefix removed). */
function split(out: string): { runner: string[]; nested: string[] } {
  const lines = out.split('\n').map((l) => l.replace(/\r$/, ''));
  return {
    runner: lines.filter((l) => l && !l.startsWith('#')),
    nested: lines.filter((l) => l.startsWith('# ')).map((l) => l.slice(2)),
  };
}

/** Nested KTAP by the spec's grammar: a version line, a plan, then as many numbered results in order. */
function nestedKtap(nested: string[]): { plan: number; results: { ok: boolean; n: number; name: string }[] } {
  expect(
    nested.find((l) => /^(KTAP|TAP) version \d+$/.test(l)),
    nested.join('\n'),
  ).toBeDefined();
  const plan = nested.map((l) => /^1\.\.(\d+)$/.exec(l)).find(Boolean);
  expect(plan, nested.join('\n')).toBeTruthy();
  const results = nested
    .map((l) => /^(not )?ok (\d+) (\S+)/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ ok: !m[1], n: Number(m[2]), name: m[3]! }));
  expect(results.map((r) => r.n)).toEqual(results.map((_, i) => i + 1));
  return { plan: Number(plan![1]), results };
}

describe.skipIf(why !== undefined && !REQUIRED)('kselftest wrapper under the kernel runner', () => {
  let selftests: string;
  let guest: VmExec;
  let host: string;
  beforeAll(async () => {
    if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
    await buildDist();
    selftests = path.join((await debianSource('6.12')).dir, 'tools/testing/selftests');
    host = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-kselftest-'));
    const runArgs = ['-s', 'removed-files-enoent', '-s', 'held-dirfd-enoent', '-s', 'race-reopen', '--duration', '2s'];
    guest = await execVm(
      ['--kernel', 'debian:6.12', '--timeout', '600'],
      GUEST,
      [selftests, path.join(ROOT, 'kselftest'), BIN, ...runArgs],
      900_000,
    );
  }, 1_200_000);
  afterAll(() => {
    if (host) fs.rmSync(host, { recursive: true, force: true });
  });

  it('in a debian:6.12 guest: the runner reports ok, the nested KTAP has every variant', () => {
    expect({ code: guest.exitCode, stderr: guest.stderr.slice(-2000) }).toMatchObject({ code: 0 });
    const { runner, nested } = split(guest.stdout);
    expect(runner).toEqual(['TAP version 13', '1..1', `ok 1 ${HEADER}`]);
    expect(nested).toContain(HEADER);
    expect(nested).toContain('timeout set to 900');
    const ktap = nestedKtap(nested);
    expect(ktap.plan).toBe(6);
    expect(ktap.results.map((r) => r.name).sort()).toEqual(
      ['held-dirfd-enoent', 'race-reopen', 'removed-files-enoent']
        .flatMap((s) => [`${s}[kprobe]`, `${s}[uprobe]`])
        .sort(),
    );
    expect(ktap.results.every((r) => r.ok)).toBe(true);
  });

  /** The runner on the host, over the same layout, with run.sh's environment set. */
  const onHost = (env: Record<string, string>, ...runArgs: string[]) => {
    const dir = fs.mkdtempSync(path.join(host, 'run-'));
    const script =
      `set -e; cp ${selftests}/run_kselftest.sh ${dir}/; cp -r ${selftests}/kselftest ${dir}/; ` +
      `mkdir ${dir}/tracefs-regress; cp ${ROOT}/kselftest/run.sh ${ROOT}/kselftest/settings ${dir}/tracefs-regress/; ` +
      `echo tracefs-regress:run.sh > ${dir}/kselftest-list.txt; cd ${dir}; ./run_kselftest.sh -c tracefs-regress | cat`;
    return execa('sh', ['-c', script], {
      env: { ...env, TRACEFS_REGRESS_ARGS: runArgs.join(' ') },
      extendEnv: true,
      reject: false,
    });
  };

  it('no tracefs-regress to run: the runner says SKIP (run.sh exits 4)', async () => {
    const r = await onHost({ PATH: '/usr/bin:/bin', TRACEFS_REGRESS: '' });
    expect(split(r.stdout).runner).toEqual(['TAP version 13', '1..1', `ok 1 ${HEADER} # SKIP`]);
    expect(r.stdout).toContain('# SKIP tracefs-regress is not installed');
  });

  it.skipIf(process.getuid?.() !== 0)('a failing run: `not ok ... # exit=1` (run.sh passes 1 through)', async () => {
    // An xfail entry over a scenario that passes here: XPASS, exit 1.
    const expectFile = path.join(host, 'xfail.json');
    fs.writeFileSync(
      expectFile,
      JSON.stringify({
        schema: 'tracefs-regress/expect@1',
        entries: [
          {
            scenario: 'removed-files-enoent',
            kind: 'uprobe',
            release: '*',
            action: 'xfail',
            signature: 'no such line anywhere',
            why: 'planted',
          },
        ],
      }),
    );
    const r = await onHost(
      { TRACEFS_REGRESS: BIN },
      '-s',
      'removed-files-enoent',
      '-p',
      'uprobe',
      '--expect',
      expectFile,
    );
    expect(split(r.stdout).runner).toEqual(['TAP version 13', '1..1', `not ok 1 ${HEADER} # exit=1`]);
    expect(nestedKtap(split(r.stdout).nested).results).toMatchObject([
      { ok: false, name: 'removed-files-enoent[uprobe]' },
    ]);
  });
});
