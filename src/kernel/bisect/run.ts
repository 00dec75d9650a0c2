// SPDX-License-Identifier: GPL-2.0-only
// `kernel bisect`: git bisect start BAD GOOD + git bisect run <the step>, in
// the user's kernel git tree, which it leaves as it found it: it refuses a
// tree with local changes or a bisect already running (exit 2, nothing
// touched) and always ends with `git bisect reset` -- after success, an
// error, or SIGINT/SIGTERM -- then checks HEAD and the branch are back.
import path from 'node:path';
import { execa } from 'execa';
import { EXIT, exitForSignal, UsageError } from '../../errors.js';
import { interruptScope } from '../../util/interrupt.js';
import { bisecting, checkWorkTree, commitOf, describeHead, git, headState, localChanges, sameHead, subjectOf } from './git.js';
import { parseBisectRun, type BisectResult } from './log.js';

export interface BisectOptions {
  good: string;
  bad: string;
  source: string;
}

export interface BisectIo {
  /** Progress (stderr): git's and the steps' lines as they come. */
  say: (m: string) => void;
  /** The result (stdout). */
  print: (s: string) => void;
  /** The command git runs at each commit, given the tree's top (the real step, or a test's script). */
  stepCommand: (top: string) => string[];
  /** Checks of the step's own options, run before anything is touched (UsageError: exit 2). */
  checkStep?: (top: string) => Promise<void>;
}

export interface BisectOutcome {
  exitCode: number;
  result: BisectResult;
  /** `git bisect log` as it was before the reset. */
  log: string;
  firstBad?: { commit: string; subject: string };
  /** The signal that stopped the bisect. */
  stoppedBy?: NodeJS.Signals;
}

/** Everything checked before the tree is touched: a work tree, clean, not bisecting, both revisions commits. */
export async function prepareBisect(o: BisectOptions): Promise<{ top: string; good: string; bad: string }> {
  const top = await checkWorkTree(o.source);
  if (await bisecting(top)) {
    throw new UsageError(`a git bisect is already in progress in ${top}: finish it, or end it with git -C ${top} bisect reset`);
  }
  const changes = await localChanges(top);
  if (changes.length) {
    const shown = changes.slice(0, 5).join('; ') + (changes.length > 5 ? `; and ${changes.length - 5} more` : '');
    throw new UsageError(`${top} has local changes (${shown}): commit or stash them (git stash -u) first; a bisect checks out other commits`);
  }
  const good = await commitOf(top, o.good);
  if (!good) throw new UsageError(`--good ${o.good}: no such commit in ${top}`);
  const bad = await commitOf(top, o.bad);
  if (!bad) throw new UsageError(`--bad ${o.bad}: no such commit in ${top}`);
  if (good === bad) throw new UsageError(`--good and --bad are the same commit (${good.slice(0, 12)}): nothing to bisect`);
  return { top, good, bad };
}

export async function runBisect(o: BisectOptions, io: BisectIo): Promise<BisectOutcome> {
  const { top, good, bad } = await prepareBisect(o);
  await io.checkStep?.(top);
  const before = await headState(top);
  // SIGINT/SIGTERM: end git and its step (their own process group), then reset as after any other end.
  const stop = interruptScope({
    signals: ['SIGINT', 'SIGTERM'],
    onSignal: (sig) => io.say(`${sig}: stopping the bisect; the running step is ended, then git bisect reset`),
  });
  let out: BisectOutcome = { exitCode: EXIT.failed, result: { kind: 'unknown' }, log: '' };
  try {
    const start = await git(top, ['bisect', 'start', bad, good, '--']);
    if (start.exitCode !== 0) throw new UsageError(`git bisect start ${bad.slice(0, 12)} ${good.slice(0, 12)} failed: ${start.stderr.trim()}`);
    io.say(`git bisect start ${bad.slice(0, 12)} ${good.slice(0, 12)}: ${start.stdout.trim().split('\n').at(-1) ?? ''}`);
    out = await bisectRun(top, io, stop.signal);
  } finally {
    stop.dispose();
    const r = await git(top, ['bisect', 'reset']);
    const after = await headState(top);
    if (r.exitCode !== 0 || !sameHead(before, after)) {
      io.say(`git bisect reset did not restore ${describeHead(before)} (now ${describeHead(after)}): ${r.stderr.trim()}`);
      out.exitCode = EXIT.failed;
    } else {
      io.say(`git bisect reset: back at ${describeHead(after)}`);
    }
  }
  if (stop.received) {
    out.exitCode = exitForSignal(stop.received);
    out.stoppedBy = stop.received;
  }
  return out;
}

async function bisectRun(top: string, io: BisectIo, signal: AbortSignal): Promise<BisectOutcome> {
  // Its own process group, so a signal handler can end git, the step and the step's children (make, QEMU) together.
  const child = execa('git', ['-C', top, 'bisect', 'run', ...io.stepCommand(top)], {
    reject: false,
    all: true,
    detached: true,
    buffer: true,
  });
  const endGroup = () => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // The group is gone already.
    }
  };
  signal.addEventListener('abort', endGroup);
  if (signal.aborted) endGroup();
  child.all?.on('data', (b: Buffer) => {
    for (const l of b.toString().split('\n')) if (l.trim()) io.say(`  ${l}`);
  });
  const r = await child;
  signal.removeEventListener('abort', endGroup);
  const result = parseBisectRun(r.all ?? '');
  const log = (await git(top, ['bisect', 'log'])).stdout;
  if (result.kind === 'found') {
    const firstBad = { commit: result.commit, subject: await subjectOf(top, result.commit) };
    return { exitCode: EXIT.ok, result, log, firstBad };
  }
  return { exitCode: EXIT.failed, result, log };
}

/** What `kernel bisect` prints on stdout: the answer first, then the log git kept. */
export function renderBisect(o: BisectOutcome, top: string): string {
  const r = o.result;
  const head = o.stoppedBy
    ? `stopped by ${o.stoppedBy} before git named a first bad commit\n`
    : r.kind === 'found'
      ? `first bad commit: ${o.firstBad!.commit} ${o.firstBad!.subject}\n`
      : r.kind === 'skipped'
        ? `could not decide: only skipped commits are left; the first bad commit is one of:\n${r.candidates.map((c) => `  ${c}\n`).join('')}`
        : r.kind === 'aborted'
          ? `could not decide: git bisect run stopped: ${r.message}\n`
          : 'could not decide: git bisect run ended without naming a first bad commit\n';
  const log = o.log.trim() ? o.log.trim().split('\n').map((l) => `  ${l}`).join('\n') : '  (empty)';
  return `${head}git bisect log (${path.basename(top)}):\n${log}\n`;
}
