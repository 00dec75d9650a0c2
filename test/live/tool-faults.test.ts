// SPDX-License-Identifier: GPL-2.0-only
// The tool's own failures are ERROR, exit 2, never a kernel FAIL, and never
// an abort: an fd limit too low for --threads is refused before tracefs is
// touched; threads that cannot be created (an address-space limit) end the
// race with its teardown run; a tmpfs over events/ (EXDEV) is not read as
// the kernel answering EXDEV. Each run is in a private mount namespace on a
// private tracefs mount; afterwards nothing named after the run is left in
// tracefs (probes, its instances, its lease).
// TFSR_FAULTS_CLI=<bin/tracefs-regress.js> runs another build (how the test
// was shown to fail on the code before).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI as OUR_CLI, liveSkipReason } from './live-env.js';

const CLI = process.env.TFSR_FAULTS_CLI ?? OUR_CLI;

interface Outcome {
  rc: number;
  stderr: string;
  /** tfsr_<pid>_ lines left in uprobe_events/dynamic_events and instances/ after the run. */
  left: string[];
  report?: { results: { name: string; status: string; fault?: { code: string; fix: string } }[] };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-faults-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI under `prefix` (prlimit ...) on a private tracefs at dir/t; `setup` runs after the mount. */
async function run(prefix: string, args: string, setup = ''): Promise<Outcome> {
  const t = `${dir}/t`;
  const script = [
    `mkdir ${t} && mount -t tracefs nodev ${t}`,
    setup,
    `${prefix} ${process.execPath} ${CLI} run --tracefs ${t} ${args} -f json -o ${dir}/report.json 2>${dir}/err & P=$!`,
    'wait $P; RC=$?',
    `umount ${t}/events 2>/dev/null`,
    `{ grep -h "tfsr_\${P}_" ${t}/uprobe_events ${t}/dynamic_events; ls ${t}/instances | grep "tfsr_\${P}_"; } > ${dir}/left`,
    'exit $RC',
  ].join('\n');
  const r = await execa('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { reject: false });
  const read = (f: string) => (fs.existsSync(`${dir}/${f}`) ? fs.readFileSync(`${dir}/${f}`, 'utf8') : '');
  const report = read('report.json');
  return {
    rc: r.exitCode ?? -1,
    stderr: read('err'),
    left: read('left').split('\n').filter(Boolean),
    ...(report ? { report: JSON.parse(report) as Outcome['report'] } : {}),
  };
}

describe.skipIf(!!liveSkipReason)("the tool's own failures", () => {
  it('an fd limit too low for the races is refused up front with the number needed (exit 2)', async () => {
    const r = await run('prlimit --nofile=64', '-s race-stale-dirfd -p uprobe');
    expect(r.rc, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/fd limit is 64: raise the fd limit: ulimit -n \d+/);
    expect(r.report).toBeUndefined();
    expect(r.left).toEqual([]);
    // Too few even to load the tool's modules (the loader opens a graph's files at once): exit 2 with the fix, no stack.
    for (const n of [24, 40]) {
      const l = await run(`prlimit --nofile=${n}`, '-s race-stale-dirfd -p uprobe');
      expect(l.rc, l.stderr).toBe(2);
      expect(l.stderr).toMatch(
        /^tracefs-regress: out of file descriptors while loading \(EMFILE\): raise the fd limit: ulimit -n 1024\n$/,
      );
      expect(l.left).toEqual([]);
    }
    const t = await run('prlimit --nofile=1024', '-s race-stale-dirfd -p uprobe --threads 64');
    expect(t.rc, t.stderr).toBe(2);
    expect(t.stderr).toMatch(
      /--threads 64 .* fd limit is 1024: raise the fd limit: ulimit -n \d+, or lower --threads to \d+/,
    );
  }, 60_000);

  it('threads that cannot be created: ERROR with a fix, exit 2, teardown run, no reproducer', async () => {
    const repro = `${dir}/repro`;
    const r = await run('prlimit --as=900000000', `-s race-stale-dirfd -p uprobe --threads 64 --repro-dir ${repro}`);
    expect(r.rc, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/terminate called|Aborted|FATAL ERROR/);
    const [res] = r.report!.results;
    expect(res).toMatchObject({ name: 'race-stale-dirfd[uprobe]', status: 'UNRESOLVED' });
    expect(['EAGAIN', 'ENOMEM']).toContain(res!.fault?.code);
    expect(res!.fault?.fix).toMatch(/ulimit -v.*lower --threads to \d+/);
    expect(fs.existsSync(repro) ? fs.readdirSync(repro) : []).toEqual([]);
    expect(r.left).toEqual([]);
  }, 60_000);

  it('a tmpfs over events/ (EXDEV) is ERROR for races and sequences, not a kernel FAIL', async () => {
    const r = await run(
      '',
      '-s race-stale-dirfd -s removed-files-enoent -p uprobe --duration 1s',
      `mount -t tmpfs none ${dir}/t/events`,
    );
    expect(r.rc, r.stderr).toBe(2);
    expect(r.report!.results.map((x) => [x.name, x.status, x.fault?.code])).toEqual([
      ['removed-files-enoent[uprobe]', 'UNRESOLVED', 'EXDEV'],
      ['race-stale-dirfd[uprobe]', 'UNRESOLVED', 'EXDEV'],
    ]);
    expect(r.report!.results[0]!.fault!.fix).toMatch(/something is mounted under the tracefs root/);
    expect(r.left).toEqual([]);
  }, 60_000);
});
