// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { kernelSpecs, MATRIX_DEBIAN, planExecVm, planVm } from '../../../src/vm/plan.js';
import { RUN_GRAMMAR } from './run-grammar.js';
import type { VmOpts } from '../../../src/vm/options.js';

const OPTS: VmOpts = { kernel: [], memory: '2G', cpus: '3', timeout: '1200' };

describe('vm input', () => {
  it('plans the default run: debian:6.12, the guest writing JSON, the host rendering pretty', () => {
    const p = planVm(['--scenario', 'removed-*', '--format', 'ktap'], OPTS, RUN_GRAMMAR);
    expect(p).toMatchObject({ specs: ['debian:6.12'], format: 'ktap', memoryMiB: 2048, cpus: 3, timeoutMs: 1_200_000 });
    expect(p.guestArgs).toEqual(['--scenario=removed-*']);
    expect(p.entry).toMatch(/bin\/tracefs-regress\.js$/);
  });

  it('judges with the shipped known crashers, unless the guest is told to ignore them', () => {
    expect(planVm([], OPTS, RUN_GRAMMAR).expectations.filter((e) => e.crasher).length).toBe(5);
    const p = planVm(['--ignore-known-crashers'], OPTS, RUN_GRAMMAR);
    expect(p.expectations.filter((e) => e.crasher)).toEqual([]);
    expect(p.guestArgs).toEqual(['--ignore-known-crashers']);
  });

  it('takes vm --timeout in the one time syntax; a bare number is seconds', () => {
    expect(planVm([], { ...OPTS, timeout: '20m' }, RUN_GRAMMAR).timeoutMs).toBe(1_200_000);
    expect(planVm([], { ...OPTS, timeout: '1h' }, RUN_GRAMMAR).timeoutMs).toBe(3_600_000);
    expect(planVm([], { ...OPTS, timeout: '90s' }, RUN_GRAMMAR).timeoutMs).toBe(90_000);
    expect(planVm([], { ...OPTS, timeout: '1200' }, RUN_GRAMMAR).timeoutMs).toBe(1_200_000);
  });

  it("finds the guest's --format in every form commander reads, so the forced JSON never hides it", () => {
    for (const args of [
      ['-fktap'],
      ['-f', 'ktap'],
      ['--format=ktap'],
      ['--format', 'ktap'],
      ['-vfktap'],
      ['-vf', 'ktap'],
    ]) {
      const p = planVm(['-s', 'removed-*', ...args], OPTS, RUN_GRAMMAR);
      expect({ args, format: p.format }).toEqual({ args, format: 'ktap' });
      expect(p.guestArgs.some((a) => /ktap/.test(a))).toBe(false);
    }
    expect(planVm(['-vfktap', '-otmp-report.tap'], OPTS, RUN_GRAMMAR)).toMatchObject({
      format: 'ktap',
      output: 'tmp-report.tap',
      guestArgs: ['--verbose'],
    });
    // Rendered in run's declaration order, each in its long form: the guest reads the same options.
    expect(planVm(['--exclude', 'race-*', '-s', 'removed-*'], OPTS, RUN_GRAMMAR).guestArgs).toEqual([
      '--scenario=removed-*',
      '--exclude=race-*',
    ]);
  });

  it('takes --format/--output for the host and passes the rest to the guest', () => {
    const p = planVm(['--scenario', 'removed-*', '--format', 'junit', '-o', '-', '--bail'], OPTS, RUN_GRAMMAR);
    expect(p).toMatchObject({ format: 'junit', output: undefined, guestArgs: ['--scenario=removed-*', '--bail'] });
    expect(planVm(['--format=junit'], OPTS, RUN_GRAMMAR)).toMatchObject({ format: 'junit', guestArgs: [] });
    expect(planVm([], OPTS, RUN_GRAMMAR)).toMatchObject({ format: 'pretty', output: undefined, guestArgs: [] });
    expect(() => planVm(['--output'], OPTS, RUN_GRAMMAR)).toThrow(/--output <file>' argument missing/);
  });

  it('takes --format lkml for the host to render (the guest still writes JSON)', () => {
    const p = planVm(['-s', 'fd-across-removal', '--format', 'lkml'], OPTS, RUN_GRAMMAR);
    expect(p.format).toBe('lkml');
    expect(p.guestArgs).toEqual(['--scenario=fd-across-removal']);
  });

  it('picks the kernels: --matrix, --kernel, or the default', () => {
    expect(kernelSpecs({ kernel: [], matrix: 'debian' })).toEqual(MATRIX_DEBIAN);
    expect(kernelSpecs({ kernel: ['debian:6.1', '/x/bzImage'] })).toEqual(['debian:6.1', '/x/bzImage']);
    expect(kernelSpecs({ kernel: ['/x/bzImage'], modules: '/x/mods' })).toEqual(['/x/bzImage']);
    // Repeatable, any spelling, mixed with a bzImage: checked here, resolved against the archive later.
    const many = ['debian:6.16..7.3', 'debian:6.18.*', 'debian:6.18.12', 'debian:6.12.90+deb12', '/x/bzImage'];
    expect(kernelSpecs({ kernel: many })).toEqual(many);
  });

  it('--exec takes a spec that names one kernel only', () => {
    for (const k of ['debian:6.18.*', 'debian:6.16..7.3'])
      expect(() => planExecVm([], { ...OPTS, exec: '/bin/true', kernel: [k] }, { cwd: '/' })).toThrow(
        new RegExp(`--exec runs one kernel: ${k.replace(/[.*]/g, '\\$&')} names several`),
      );
  });

  it('refuses bad input (planted) with a UsageError naming the option', () => {
    const bad: [string[], Partial<VmOpts>, RegExp][] = [
      [[], { timeout: '0' }, /--timeout '0' must be more than zero/],
      [[], { timeout: 'soon' }, /--timeout 'soon' is not a length of time: use 500ms, 3s, 20m or 1h/],
      [[], { timeout: '25h' }, /--timeout '25h' is too long: use 24h or less/],
      [['-fxml'], {}, /--format <format>' argument 'xml' is invalid/],
      [['-vfxml'], {}, /--format <format>' argument 'xml' is invalid/],
      [['--format=xml'], {}, /--format <format>' argument 'xml' is invalid/],
      [['-s', 'no-such-scenario'], {}, /unknown scenario 'no-such-scenario'/],
      [['-sno-such-*'], {}, /unknown scenario 'no-such-\*'/],
      [['--exclude', 'nope'], {}, /--exclude: unknown scenario 'nope'/],
      [['-s', 'removed-files-enoent', '--exclude=removed-*'], {}, /leaves no scenario/],
      [[], { memory: 'lots' }, /--memory lots/],
      [[], { cpus: '0' }, /--cpus 0/],
      [[], { tcg: 'both' }, /--tcg both/],
      [['--format', 'xml'], {}, /--format <format>' argument 'xml' is invalid/],
      [['--ignore-skips'], {}, /--ignore-skips goes with --expect/],
      [[], { matrix: 'debian', kernel: ['debian:6.1'] }, /either --matrix or --kernel/],
      [[], { kernel: ['debian:6'] }, /bad kernel 'debian:6'/],
      [[], { kernel: ['debian:6.12', 'debian:7.3..6.16'] }, /runs backwards: write debian:6\.16\.\.7\.3/],
      [[], { kernel: ['debian:6.16..'] }, /a range needs both ends/],
      [[], { kernel: ['debian:6.12'], modules: '/x' }, /--modules goes with a custom --kernel/],
    ];
    for (const [args, o, why] of bad) {
      expect(() => planVm(args, { ...OPTS, ...o }, RUN_GRAMMAR), why.source).toThrow(UsageError);
      expect(() => planVm(args, { ...OPTS, ...o }, RUN_GRAMMAR)).toThrow(why);
    }
  });
});

describe('vm outputs (util/output): --output and --keep-log checked before anything boots', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-vm-outputs-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--keep-log: a symlink, a kernel file or the --output file is refused; -o - is stdout', () => {
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'secret\n', { mode: 0o600 });
    const link = path.join(dir, 'console.log');
    fs.symlinkSync(victim, link);
    expect(() => planVm([], { ...OPTS, keepLog: link }, RUN_GRAMMAR)).toThrow(`--keep-log ${link} is a symlink`);
    expect(() => planVm([], { ...OPTS, keepLog: '/proc/self/mem' }, RUN_GRAMMAR)).toThrow(/is a file of proc/);
    const f = path.join(dir, 'r.json');
    expect(() => planVm(['-o', f], { ...OPTS, keepLog: f }, RUN_GRAMMAR)).toThrow(/are the same file/);
    expect(planVm(['-o', '-'], OPTS, RUN_GRAMMAR).output).toBeUndefined();
    expect(fs.readFileSync(victim, 'utf8')).toBe('secret\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['console.log', 'victim']);
  });
});
