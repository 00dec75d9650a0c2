// SPDX-License-Identifier: GPL-2.0-only
// Commands that never touch tracefs must work when the addon did not build:
// a copy of the package with neither build/ nor prebuilds/.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderJson } from '../../../src/report/json.js';
import { warn61 } from '../../unit/report/lkml-fixtures.js';

const repo = path.resolve(__dirname, '../../..');
let copy: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(copy, 'bin', 'tracefs-regress.js'), ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-no-addon-'));
  for (const f of ['package.json', 'bin', 'kernel', 'schema'])
    fs.cpSync(path.join(repo, f), path.join(copy, f), { recursive: true });
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'));
  // Compiled from the sources under test, not the checkout's dist/ (which may be stale).
  execFileSync(process.execPath, [
    path.join(repo, 'node_modules/typescript/bin/tsc'),
    '-p',
    path.join(repo, 'tsconfig.build.json'),
    '--outDir',
    path.join(copy, 'dist'),
  ]);
}, 120_000);

afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

describe('without the native addon (no build/, no prebuilds/)', () => {
  it('--help, vm --help, kernel --help and kernel list work', () => {
    expect(fs.existsSync(path.join(copy, 'build'))).toBe(false);
    expect(fs.existsSync(path.join(copy, 'prebuilds'))).toBe(false);
    for (const args of [['--help'], ['vm', '--help'], ['kernel', '--help'], ['kernel', 'list'], ['--version']]) {
      const r = cli(...args);
      expect({ args, code: r.code, err: r.err }).toEqual({ args, code: 0, err: '' });
    }
    expect(cli('vm', '--help').out).toContain('--kernel');
  }, 120_000);

  it('vm --fetch-only, kernel build, doctor vm|kernel and list --help run without it', () => {
    // The real vm path up to boot: options, apt, the kernel and QEMU caches (shared, so fast when warm).
    const fetch = cli('vm', '--fetch-only', '--kernel', 'debian:6.12');
    expect({ code: fetch.code, err: fetch.err }).toMatchObject({ code: 0 });
    expect(fetch.out).toMatch(/^debian:6\.12 \S+ \S+vmlinuz$/m);
    expect(fetch.err).not.toMatch(/native addon/);
    // kernel build through option parsing, its prerequisite check and the source check (no tree: exit 2, not the addon).
    const build = cli('kernel', 'build', '--config-only', '--source', copy);
    expect(build.err).toMatch(/--source .* no Makefile there/);
    expect(build.code).toBe(2);
    for (const args of [
      ['doctor', 'vm'],
      ['doctor', 'kernel'],
      ['kernel', 'config'],
      ['list', '--help'],
    ]) {
      const r = cli(...args);
      expect({ args, err: r.err }).toEqual({ args, err: '' });
      expect(r.code === 0 || r.code === 1, `${args.join(' ')} exited ${r.code}`).toBe(true);
    }
  }, 120_000);

  it('report FILE renders a saved report (a CI artefact on a machine without the build)', () => {
    const file = path.join(copy, 'saved.json');
    fs.writeFileSync(file, renderJson(warn61));
    const r = cli('report', file, '--format', 'lkml');
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    expect(r.out).toMatch(/^Subject: \[BUG\] tracing: trigger write through fd held across kprobe removal/);
  }, 60_000);

  it('a command that needs it says how to fix that (so the copy really has no addon)', () => {
    const r = cli('run', '--scenario', 'removed-files-enoent', '--tracefs', '/sys/kernel/tracing');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tracefs-regress: cannot load the native addon .* No native build was found/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('npm rebuild tracefs-regress');
  }, 60_000);
});
