// SPDX-License-Identifier: GPL-2.0-only
// vm --shard and report merge on real boots: two shards of a two-kernel plan,
// merged, give the verdicts of the same plan run unsharded (per cell: kernel,
// boot, every result's name and status; timings differ). ~4 short boots.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED, ROOT, buildDist, unavailable } from './helpers.js';
import { vmChild } from '../../src/vm/child.js';

const CLI = path.join(ROOT, 'bin', 'tracefs-regress.js');
const KERNELS = ['--kernel', 'debian:6.12.118+deb13', '--kernel', 'debian:7.3.4'];
const RUN = ['-s', 'removed-files-enoent', '-p', 'uprobe'];

interface Run {
  matrix: { kernel: string; boot: number };
  results: Array<{ name: string; status: string }>;
}
/** A matrix document (runs), or one run alone (a shard of one cell renders as vm does for one boot). */
type Doc = { runs: Run[] } | Run;
const verdicts = (d: Doc) =>
  ('runs' in d ? d.runs : [d]).map((r) => ({
    kernel: r.matrix.kernel,
    boot: r.matrix.boot,
    results: r.results.map((x) => `${x.name} ${x.status}`),
  }));

const why = unavailable();
if (why && !REQUIRED) console.warn(`SKIP vm --shard + report merge: ${why}`);
describe.skipIf(why !== undefined && !REQUIRED)('vm --shard 1/2 and 2/2, merged, equal the unsharded run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-shard-'));
  const file = (n: string) => path.join(dir, n);
  const vm = async (extra: string[], out: string) => {
    const r = await vmChild({
      root: ROOT,
      vmArgs: [...KERNELS, ...extra],
      mode: { kind: 'run', args: RUN, report: out },
    });
    process.stderr.write(`${r.stderr}\n`);
    return r.exitCode;
  };
  const codes: Record<string, number | undefined> = {};
  beforeAll(async () => {
    if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
    await buildDist();
    codes.a = await vm(['--shard', '1/2'], file('a.json'));
    codes.b = await vm(['--shard', '2/2'], file('b.json'));
    codes.all = await vm([], file('all.json'));
  });

  it('each shard boots its own kernel; the merge has the unsharded verdicts and exit code', async () => {
    const read = (n: string) => JSON.parse(fs.readFileSync(file(n), 'utf8')) as Doc;
    expect(verdicts(read('a.json')).map((c) => c.kernel)).toEqual([expect.stringMatching(/^6\.12\.118/)]);
    expect(verdicts(read('b.json')).map((c) => c.kernel)).toEqual([expect.stringMatching(/^7\.3\.4/)]);
    const m = await execa(process.execPath, [CLI, 'report', 'merge', file('b.json'), file('a.json'), '-f', 'json'], {
      cwd: ROOT,
      reject: false,
    });
    expect(m.stderr).toBe('');
    expect(verdicts(JSON.parse(m.stdout) as Doc)).toEqual(verdicts(read('all.json')));
    expect(verdicts(read('all.json'))).toHaveLength(2);
    expect(m.exitCode).toBe(codes.all);
  });
});
