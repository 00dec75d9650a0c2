// SPDX-License-Identifier: GPL-2.0-only
// The packed tarball installs and runs on a machine without a compiler: `npm
// pack` (prepare: tsc; prepack: the prebuild must be current), `npm install -g`
// into a fresh prefix with a PATH of node, npm, sh and env only (no python3,
// make, g++, cc), then the installed bin runs a scenario against this kernel
// from outside the checkout. The same tarball without prebuilds/ must fail to
// install, saying that the build needs the compiler it lacks.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileReportSchema } from '../schema/report-schema.js';
import { ROOT, leftovers, liveSkipReason } from './live-env.js';
import { shippedCrashers } from '../../src/expectations/shipped.js';
import { affects } from '../../src/expectations/release.js';
import { CATALOGUE } from '../../src/scenarios/catalogue.js';

const live = describe.skipIf(!!liveSkipReason);
const NO_COMPILER = ['python3', 'make', 'g++', 'cc', 'gcc', 'c++'];
const BUDGET_MS = 120_000;

function which(prog: string): string {
  return execFileSync('sh', ['-c', `command -v ${prog}`], { encoding: 'utf8' }).trim();
}

live('the packed tarball, installed without a compiler', () => {
  let dir: string;
  let tarball: string;
  let bin: string;
  let started: number;
  const timings: Record<string, number> = {};

  /** A command with only `bin` on PATH (the rest of the environment kept: npm's CA and cache settings). */
  const stripped = (file: string, args: string[], cwd: string) => {
    const t0 = Date.now();
    const r = spawnSync(file, args, {
      cwd,
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, PATH: bin, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' },
    });
    return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - t0 };
  };
  /** npm install -g into a fresh prefix; --allow-scripts (npm 11) lets the tarball's install script run. */
  const install = (tgz: string, prefix: string) =>
    stripped(
      path.join(bin, 'npm'),
      ['install', '-g', '--prefix', prefix, `--allow-scripts=${tgz}`, '--foreground-scripts', '--no-audit', tgz],
      dir,
    );

  beforeAll(() => {
    started = Date.now();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-package-'));
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    for (const p of ['node', 'npm', 'sh', 'env']) fs.symlinkSync(which(p), path.join(bin, p));
    // A checkout without a current prebuild makes one first (the tarball must carry it).
    const check = spawnSync(process.execPath, ['scripts/check-prebuilds.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (check.status !== 0) execFileSync('npm', ['run', 'prebuildify'], { cwd: ROOT, stdio: 'inherit' });
    const t0 = Date.now();
    const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    timings.pack = Date.now() - t0;
    const [info] = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(dir, info!.filename);
    expect(info!.files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'bin/tracefs-regress.js',
        'dist/cli/main.js',
        'prebuilds/linux-x64/tracefs-regress.glibc.node',
        'test/mutants/01-revalidate-always-valid.patch',
        'schema/report.schema.json',
        'kselftest/run.sh',
        'scripts/install.mjs',
      ]),
    );
  }, 600_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has no compiler on the stripped PATH', () => {
    for (const p of NO_COMPILER) expect(fs.existsSync(path.join(bin, p)), p).toBe(false);
    const r = stripped(path.join(bin, 'sh'), ['-c', `command -v ${NO_COMPILER.join(' ')} || true`], dir);
    expect(r.out.trim()).toBe('');
  });

  it('installs with the prebuild, then --help and a scenario run from the install', () => {
    const prefix = path.join(dir, 'prefix');
    const i = install(tarball, prefix);
    timings.install = i.ms;
    expect({ code: i.code, err: i.err }).toMatchObject({ code: 0 });
    // The install script ran (the prebuild loaded, so nothing was built).
    expect(i.out).toContain('node scripts/install.mjs');
    const pkg = path.join(prefix, 'lib/node_modules/tracefs-regress');
    expect(fs.existsSync(path.join(pkg, 'build'))).toBe(false);

    const cli = path.join(prefix, 'bin/tracefs-regress');
    const help = stripped(cli, ['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: tracefs-regress/m);

    const t0 = Date.now();
    const run = stripped(cli, ['run', '-s', 'removed-files-enoent', '-p', 'uprobe'], dir);
    timings.run = Date.now() - t0;
    // Nothing on stderr but the note a run prints when another live run shares this kernel
    // (CI 2026-12-02: a developer's run was going beside it).
    const err = run.err
      .split('\n')
      .filter((l) => l && !/^left run tfsr_\d+_[0-9a-f]+ alone \(alive: /.test(l))
      .join('\n');
    expect({ code: run.code, err }).toEqual({ code: 0, err: '' });
    expect(run.out).toMatch(/^PASS\s+removed-files-enoent\[uprobe\]/m);
    expect(leftovers()).toEqual([]);

    // The README's other commands, from the install: the JSON report (valid by the packed schema),
    // the project's expectations file inside the package (named relative to it from another
    // directory), the config fragment.
    const json = stripped(
      cli,
      ['run', '-s', 'removed-files-enoent', '-p', 'uprobe', '--format', 'json', '--expect', 'kernel/known-bugs.json'],
      dir,
    );
    expect(json.code, json.err).toBe(0);
    // The installed package's known crashers: `list` from another directory names the bug and its fix.
    const list = stripped(cli, ['list', '-s', 'race-getdents'], dir);
    expect(list.code).toBe(0);
    expect(list.err).toBe('');
    expect(list.out).toMatch(
      affects(shippedCrashers(CATALOGUE.map((s) => s.id))[0]!.crasher!.affected, os.release()).affected
        ? /race-getdents\[uprobe\]: SKIP by default: known kernel crasher.*CVE-2026-74605.*f0ece16ffca7/
        : /race-getdents\[uprobe\]: runs here/,
    );
    const validate = compileReportSchema(path.join(pkg, 'schema/report.schema.json'));
    expect(validate(JSON.parse(json.out)), JSON.stringify(validate.errors)).toBe(true);
    // `report FILE` validates with the installed package's own validator (ajv is a dependency):
    // the saved report renders; one that breaks the schema is exit 2 naming the JSON path.
    const saved = path.join(dir, 'saved.json');
    fs.writeFileSync(saved, json.out);
    expect(stripped(cli, ['report', saved, '-f', 'ktap'], dir)).toMatchObject({ code: 0, err: '' });
    const broken = JSON.parse(json.out) as { results: { status: string }[] };
    broken.results[0]!.status = 'BOGUS';
    fs.writeFileSync(saved, JSON.stringify(broken));
    const refused = stripped(cli, ['report', saved], dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/ is not a valid tracefs-regress JSON report .*first error at \/results\/0\/status: /);
    const config = stripped(cli, ['kernel', 'config'], dir);
    expect(config.code).toBe(0);
    expect(config.out).toMatch(/^CONFIG_UPROBE_EVENTS=y$/m);

    // `kernel mutants` finds its patches inside the package, not in the cwd.
    const mutants = stripped(cli, ['kernel', 'mutants'], dir);
    expect(mutants.code).toBe(0);
    expect(mutants.out).toContain(path.join(pkg, 'test/mutants/01-revalidate-always-valid.patch'));
  });

  it('without the prebuild, the install needs the compiler and says so', () => {
    const unpacked = path.join(dir, 'nopre');
    fs.mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
    fs.rmSync(path.join(unpacked, 'package/prebuilds'), { recursive: true });
    const bare = path.join(dir, 'no-prebuild.tgz');
    execFileSync('tar', ['-czf', bare, '-C', unpacked, 'package']);
    const i = install(bare, path.join(dir, 'prefix-bare'));
    expect(i.code).not.toBe(0);
    expect(i.err).toContain('tracefs-regress: no prebuilt native addon loads on this machine');
    expect(i.err).toContain('the package carries: none');
    expect(i.err).toContain('building it from source failed');
    expect(i.err).toContain('(missing here: python3, make, g++)');
  });

  it('fits the time budget', () => {
    const total = Date.now() - started;
    process.stderr.write(`package: ${JSON.stringify({ ...timings, totalMs: total })}\n`);
    expect(total).toBeLessThan(BUDGET_MS);
  });
});
