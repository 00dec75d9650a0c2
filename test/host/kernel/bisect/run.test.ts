// SPDX-License-Identifier: GPL-2.0-only
// `kernel bisect` on throwaway git repos with a shell script as the step (no
// kernel): the first bad commit is named, and the tree is left as found --
// same HEAD, same branch -- after success, a skip-only run and an aborted run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/errors.js';
import { parseBisectLog } from '../../../../src/kernel/bisect/log.js';
import { renderBisect, runBisect } from '../../../../src/kernel/bisect/run.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, ...ENV } }).trim();

/** c1..cN on main; state says what the step script sees at each: good, bad or skip. */
function repo(states: ('good' | 'bad' | 'skip')[]): { dir: string; commits: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-bisect-'));
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  const commits: string[] = [];
  states.forEach((s, i) => {
    fs.writeFileSync(path.join(dir, 'state'), `${s}\n`);
    fs.writeFileSync(path.join(dir, 'n'), `${i + 1}\n`);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `c${i + 1}: ${s}`);
    commits.push(git(dir, 'rev-parse', 'HEAD'));
  });
  return { dir, commits };
}

/** The fake step: reads ./state; `abort` in ABORT_AT's commit number exits 128. */
function stepScript(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-step-'));
  dirs.push(dir);
  const f = path.join(dir, 'step.sh');
  fs.writeFileSync(
    f,
    '#!/bin/sh\nn=$(cat n); s=$(cat state)\n' +
      '[ -n "$ABORT_AT" ] && [ "$n" = "$ABORT_AT" ] && { echo "step: abort at c$n"; exit 128; }\n' +
      'echo "step: c$n $s"\ncase $s in good) exit 0;; bad) exit 1;; *) exit 125;; esac\n',
    { mode: 0o755 },
  );
  return f;
}

function io(step: string) {
  const said: string[] = [];
  return { said, io: { say: (m: string) => void said.push(m), print: () => {}, stepCommand: () => [step] } };
}

function head(dir: string): { commit: string; branch?: string } {
  const commit = git(dir, 'rev-parse', 'HEAD');
  try {
    return { commit, branch: git(dir, 'symbolic-ref', '-q', 'HEAD') };
  } catch {
    return { commit };
  }
}

describe('kernel bisect on a throwaway repo', () => {
  it('names the first bad commit, with its subject, and resets to the branch it started on', async () => {
    const { dir, commits } = repo(['good', 'good', 'good', 'bad', 'bad', 'bad']);
    const before = head(dir);
    const { io: o } = io(stepScript());
    const out = await runBisect({ good: commits[0]!, bad: 'main', source: dir }, o);
    expect(out.exitCode).toBe(0);
    expect(out.firstBad).toEqual({ commit: commits[3], subject: 'c4: bad' });
    expect(head(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, '.git/BISECT_START'))).toBe(false);
    // The log holds the verdicts git recorded, and the last bad one is the answer.
    const entries = parseBisectLog(out.log);
    expect(entries.filter((e) => e.verdict === 'bad').at(-1)?.commit).toBe(commits[3]);
    expect(entries.some((e) => e.verdict === 'good' && e.commit === commits[2])).toBe(true);
    expect(renderBisect(out, dir)).toMatch(new RegExp(`^first bad commit: ${commits[3]} c4: bad\\n`));
  });

  it('says it could not decide when only skipped commits hide the answer, and still resets', async () => {
    const { dir, commits } = repo(['good', 'skip', 'skip', 'bad']);
    const before = head(dir);
    const out = await runBisect({ good: commits[0]!, bad: commits[3]!, source: dir }, io(stepScript()).io);
    expect(out.exitCode).toBe(1);
    expect(out.result.kind).toBe('skipped');
    if (out.result.kind === 'skipped') expect(new Set(out.result.candidates)).toEqual(new Set(commits.slice(1)));
    expect(head(dir)).toEqual(before);
  });

  it('resets after a step aborts the run (exit 128), from a detached HEAD too', async () => {
    const { dir, commits } = repo(['good', 'good', 'bad', 'bad', 'bad']);
    git(dir, 'checkout', '-q', '--detach', commits[1]!);
    const before = head(dir);
    expect(before).toEqual({ commit: commits[1] });
    process.env.ABORT_AT = '3';
    try {
      const out = await runBisect({ good: commits[0]!, bad: commits[4]!, source: dir }, io(stepScript()).io);
      expect(out.exitCode).toBe(1);
      expect(out.result.kind).toBe('aborted');
    } finally {
      delete process.env.ABORT_AT;
    }
    expect(head(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, '.git/BISECT_START'))).toBe(false);
  });

  it('refuses a tree with local changes and touches nothing (exit 2)', async () => {
    const { dir, commits } = repo(['good', 'bad']);
    fs.writeFileSync(path.join(dir, 'state'), 'edited\n');
    const before = head(dir);
    const p = runBisect({ good: commits[0]!, bad: commits[1]!, source: dir }, io(stepScript()).io);
    await expect(p).rejects.toThrow(UsageError);
    await expect(p).rejects.toThrow(/local changes \( M state\)/);
    expect(head(dir)).toEqual(before);
    expect(fs.readFileSync(path.join(dir, 'state'), 'utf8')).toBe('edited\n');
    expect(fs.existsSync(path.join(dir, '.git/BISECT_START'))).toBe(false);
  });

  it('refuses untracked files too, revisions that are no commits, equal revisions, and a directory that is no git tree', async () => {
    const { dir, commits } = repo(['good', 'bad']);
    const run = (good: string, bad: string, source = dir) => runBisect({ good, bad, source }, io(stepScript()).io);
    await expect(run(commits[0]!, 'no-such-branch')).rejects.toThrow(/--bad no-such-branch: no such commit/);
    await expect(run('--all', commits[1]!)).rejects.toThrow(/--good --all: no such commit/);
    await expect(run(commits[0]!, commits[0]!)).rejects.toThrow(/the same commit/);
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-plain-'));
    dirs.push(plain);
    await expect(run('a', 'b', plain)).rejects.toThrow(/is not a git work tree/);
    fs.writeFileSync(path.join(dir, 'new-file'), 'x');
    await expect(run(commits[0]!, commits[1]!)).rejects.toThrow(/local changes \(\?\? new-file\)/);
  });

  it('refuses to start inside a bisect that is already running', async () => {
    const { dir, commits } = repo(['good', 'bad', 'bad']);
    git(dir, 'bisect', 'start', commits[2]!, commits[0]!);
    const at = head(dir);
    await expect(runBisect({ good: commits[0]!, bad: commits[2]!, source: dir }, io(stepScript()).io)).rejects.toThrow(
      /already in progress/,
    );
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(at.commit);
    git(dir, 'bisect', 'reset');
  });

  it("stops before git is touched when the step's own checks fail", async () => {
    const { dir, commits } = repo(['good', 'bad']);
    const o = { ...io(stepScript()).io, checkStep: async () => Promise.reject(new UsageError('--timeout x: bad')) };
    await expect(runBisect({ good: commits[0]!, bad: commits[1]!, source: dir }, o)).rejects.toThrow('--timeout x');
    expect(fs.existsSync(path.join(dir, '.git/BISECT_START'))).toBe(false);
  });

  it('on SIGINT ends the running step and still resets (exit 130)', async () => {
    const { dir } = repo(['good', 'good', 'good', 'bad', 'bad']);
    const before = head(dir);
    const slow = path.join(path.dirname(stepScript()), 'slow.sh');
    fs.writeFileSync(slow, '#!/bin/sh\necho step running\nexec sleep 60\n', { mode: 0o755 });
    // The built module, in a child of its own: a signal to this process would reach vitest too.
    const run = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../dist/kernel/bisect/run.js');
    const script =
      `const { runBisect } = await import(${JSON.stringify(run)});` +
      `const o = await runBisect({ good: 'HEAD~4', bad: 'HEAD', source: ${JSON.stringify(dir)} },` +
      ` { say: (m) => console.error(m), print: () => {}, stepCommand: () => [${JSON.stringify(slow)}] });` +
      `process.exitCode = o.exitCode;`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let sent = false;
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (b: Buffer) => {
        err += b.toString();
        if (!sent && err.includes('step running')) sent = child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code, err).toBe(130);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(err).toMatch(/SIGINT: stopping the bisect/);
    expect(head(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, '.git/BISECT_START'))).toBe(false);
  });
});
