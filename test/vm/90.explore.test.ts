// SPDX-License-Identifier: GPL-2.0-only
// explore's smoke run, both ways round: on the clean tinyconfig kernel a
// short run finds nothing (the model accepts a correct kernel), and on the
// planted regression 01 (tracefs_d_revalidate keeps every dentry valid,
// built here seeded from the clean build) the same defaults find a stale
// file, shrink it, and the reproducer reproduces in a fresh guest of the
// mutant and not on the clean kernel. The explorer is told no scenario.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildKernel, BUILD_DEPS_HINT, missingBuildDeps } from '../../src/kernel/build.js';
import { buildDist, REQUIRED, ROOT, unavailable } from './helpers.js';

const MUTANT = path.join(ROOT, 'test/mutants/01-revalidate-always-valid.patch');
const SEED = '1';

interface Explored {
  exitCode: number | undefined;
  stderr: string;
  out: string;
  summary: {
    result: string;
    stats?: { programs: number };
    findings?: { n: number; kind: string; what: string; actions: number; shrunk?: number }[];
    verified?: { own: string; clean?: string; problems: string[] }[];
  };
}

async function explore(kernel: string, args: string[], timeoutMs: number): Promise<Explored> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-explore-')), 'out');
  const r = await execa(
    process.execPath,
    [path.join(ROOT, 'bin/tracefs-regress.js'), 'explore', '--kernel', kernel, '--seed', SEED, '--out', out, ...args],
    { cwd: ROOT, reject: false, all: true, timeout: timeoutMs },
  );
  process.stderr.write(`${r.all ?? ''}\n`);
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'explore.json'), 'utf8')) as Explored['summary'];
  return { exitCode: r.exitCode, stderr: String(r.stderr ?? ''), out, summary };
}

const why = unavailable() ?? (missingBuildDeps().length ? `cannot build kernels: ${BUILD_DEPS_HINT}` : undefined);
if (why && !REQUIRED) console.warn(`SKIP explore smoke: ${why}`);

describe.skipIf(why !== undefined && !REQUIRED)('explore: a short run on clean and on mutant 01', () => {
  let clean = '';
  let mutant = '';
  beforeAll(async () => {
    if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
    await buildDist();
    const log = (m: string) => process.stderr.write(`explore test kernels: ${m}\n`);
    clean = (await buildKernel({ name: 'clean', log })).bzImage;
    mutant = (await buildKernel({ name: 'revalidate-always-valid', patches: [MUTANT], log })).bzImage;
  }, 1_500_000);

  it('finds nothing on the clean kernel in 40 s, having run programs', async () => {
    const r = await explore(clean, ['--duration', '40s'], 300_000);
    expect(r.exitCode, r.stderr.slice(-2000)).toBe(0);
    expect(r.summary.result).toBe('clean');
    expect(r.summary.stats?.programs).toBeGreaterThan(5);
  }, 320_000);

  it('finds the stale file on mutant 01, shrinks it, and its reproducer holds in fresh guests', async () => {
    const r = await explore(mutant, ['--duration', '90s', '--clean-kernel', clean], 900_000);
    expect(r.exitCode, r.stderr.slice(-2000)).toBe(1);
    const f = r.summary.findings?.[0];
    expect(f?.kind).toBe('model');
    expect(f?.what).toMatch(/expected ENOENT/);
    expect(f?.shrunk).toBeLessThanOrEqual(f!.actions);
    expect(r.summary.verified?.[0]).toMatchObject({ own: 'reproduced', clean: 'clean', problems: [] });
  }, 920_000);
});
