// SPDX-License-Identifier: GPL-2.0-only
// The few git questions a bisect asks of a kernel tree: plumbing commands
// only, so the answers do not depend on the user's porcelain config.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { CommandError, UsageError } from '../../errors.js';

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** git in dir; a non-zero exit is data, not an exception. */
export async function git(dir: string, args: string[], env: Record<string, string> = {}): Promise<GitResult> {
  const r = await execa('git', ['-C', dir, ...args], { reject: false, env: { GIT_TERMINAL_PROMPT: '0', ...env } });
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** git in dir; throws with git's own message when it fails. */
export async function gitOk(dir: string, args: string[], env?: Record<string, string>): Promise<string> {
  const r = await git(dir, args, env);
  if (r.exitCode !== 0) throw new CommandError(`git ${args.join(' ')}`, r.exitCode, `git ${args.join(' ')} in ${dir} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** Where HEAD points: the commit, and the branch when HEAD is not detached. */
export interface HeadState {
  commit: string;
  branch?: string;
}

export async function headState(dir: string): Promise<HeadState> {
  const commit = await gitOk(dir, ['rev-parse', '--verify', 'HEAD']);
  const b = await git(dir, ['symbolic-ref', '-q', 'HEAD']);
  return b.exitCode === 0 ? { commit, branch: b.stdout.trim() } : { commit };
}

export const sameHead = (a: HeadState, b: HeadState) => a.commit === b.commit && a.branch === b.branch;
export const describeHead = (h: HeadState) => `${h.branch ? `${h.branch.replace(/^refs\/heads\//, '')} at ` : 'detached '}${h.commit.slice(0, 12)}`;

/** The full hash of a revision that names a commit, or undefined. */
export async function commitOf(dir: string, rev: string): Promise<string | undefined> {
  // A leading '-' would be read as an option.
  if (rev.startsWith('-')) return undefined;
  const r = await git(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

export async function subjectOf(dir: string, commit: string): Promise<string> {
  return gitOk(dir, ['log', '-1', '--format=%s', commit, '--']);
}

/**
 * The top of the git work tree dir is in, refusing anything else: the
 * bisect checks out commits there, so the user must have pointed at it.
 */
export async function checkWorkTree(dir: string, flag = '--source'): Promise<string> {
  const r = await git(dir, ['rev-parse', '--show-toplevel']);
  if (r.exitCode !== 0) throw new UsageError(`${flag} ${dir} is not a git work tree: point it at a kernel git checkout (git clone ...)`);
  return r.stdout.trim();
}

/** `git status --porcelain` lines (untracked files included): a bisect checks out other commits over them. */
export async function localChanges(dir: string): Promise<string[]> {
  // Not gitOk: its trim would eat the status column of the first line (` M file`).
  const r = await git(dir, ['status', '--porcelain', '--untracked-files=normal']);
  if (r.exitCode !== 0) throw new CommandError('git status', r.exitCode, `git status in ${dir} failed: ${r.stderr.trim()}`);
  return r.stdout.split('\n').filter((l) => l.trim());
}

/** A bisect already running in dir (its state lives in .git/BISECT_START). */
export async function bisecting(dir: string): Promise<boolean> {
  const p = await gitOk(dir, ['rev-parse', '--git-path', 'BISECT_START']);
  return fs.existsSync(path.resolve(dir, p));
}
