// SPDX-License-Identifier: GPL-2.0-only
// The step's own options and the CLI exit codes git bisect run sees: a usage
// error must abort the bisect (128), never exit 2, which git reads as "bad".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStepArgs, stepBuildName, stepLine, STEP_ABORT } from '../../../../src/kernel/bisect/step.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../bin/tracefs-regress.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('bisect-step options', () => {
  it('takes --source and --timeout before --, run options after it', () => {
    expect(parseStepArgs(['--source', 'k', '--timeout', '300', '--', '-s', 'removed-files-enoent', '-p', 'kprobe'], '/t')).toEqual({
      source: '/t/k',
      timeout: '300',
      runArgs: ['-s', 'removed-files-enoent', '-p', 'kprobe'],
    });
    expect(parseStepArgs([], '/t')).toEqual({ source: '/t', timeout: '600', runArgs: [] });
    expect(parseStepArgs(['--help'])).toBeUndefined();
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['-s', 'x'], /Unknown option '-s'.*run options go after --/s],
    [['stray', '--', '-s', 'x'], /Unexpected argument 'stray'/],
    [['--timeout', 'soon'], /--timeout 'soon' is not a length of time/],
    [['--timeout', '0'], /--timeout '0' must be more than zero/],
    [['--', '--format', 'ktap'], /--format after --: the step reads the guest's JSON report itself/],
    [['--', '-s', 'x', '--output', 'f'], /--output after --/],
  ])('refuses %j', (args, why) => expect(() => parseStepArgs(args)).toThrow(why));

  it('keeps one build dir per tree, whatever the path spelling', () => {
    expect(stepBuildName('/k/linux')).toBe(stepBuildName('/k/linux/'));
    expect(stepBuildName('/k/linux')).not.toBe(stepBuildName('/k/linux2'));
    expect(stepBuildName('/k/linux')).toMatch(/^bisect-[0-9a-f]{12}$/);
  });

  it('prints commit, verdict, exit code, why and subject on one line', () => {
    const line = stepLine({ commit: 'a'.repeat(40), subject: 's', code: 1, verdict: 'bad', why: 'x FAIL' });
    expect(line).toBe(`bisect-step: ${'a'.repeat(12)} bad (exit 1): x FAIL -- s`);
  });
});

describe('bisect CLI exit codes', () => {
  const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-plain-'));
  afterAll(() => fs.rmSync(plain, { recursive: true, force: true }));

  it(`bisect-step: a usage error or a directory that is no git tree aborts the bisect (${STEP_ABORT})`, () => {
    for (const args of [['--bogus'], ['--timeout', 'x'], ['--source', plain, '--', '-s', 'x']]) {
      const r = cli('kernel', 'bisect-step', ...args);
      expect(r.status, r.stderr).toBe(STEP_ABORT);
      expect(r.stderr).toMatch(/aborts git bisect run/);
    }
    expect(cli('kernel', 'bisect-step', '--help').status).toBe(0);
  });

  it('bisect: missing revisions, a bad timeout or no git tree are usage errors (2)', () => {
    expect(cli('kernel', 'bisect', '--good', 'a').status).toBe(2);
    const r = cli('kernel', 'bisect', '--good', 'a', '--bad', 'b', '--source', plain);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not a git work tree/);
  });

  it('bisect --releases: git options with it, its options without it, or no range are usage errors (2)', () => {
    const cases: [string[], RegExp][] = [
      [['--releases', 'debian:6.12.*', '--good', 'a'], /not a git tree: drop --good/],
      [['--boots', '2'], /--boots goes with --releases/],
      [['--releases', 'debian:6.12'], /names one release: a bisect needs a range/],
      [['--releases', 'debian:6.12.*', '--boots', '0'], /--boots '0'/],
      [[], /needs --good <rev> and --bad <rev> .* or --releases/],
    ];
    for (const [args, msg] of cases) {
      const r = cli('kernel', 'bisect', ...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});
