// SPDX-License-Identifier: GPL-2.0-only
// `kernel bisect-step`: one commit of a `git bisect run`. Builds the tree's
// HEAD with the project's builder (a hard-linked copy under the build cache,
// so the user's tree is only read), boots it in a `vm` child as the self-test
// does, runs the selected scenarios and turns the boot into git's exit code
// (outcome.ts). One line per step on stdout: commit, verdict, why.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EnvironmentError, UsageError } from '../../errors.js';
import { sha256Of } from '../../host/hash.js';
import { cacheRoot } from '../../host/paths.js';
import type { RunReport } from '../../report/types.js';
import { buildKernel, missingBuildDeps, BUILD_DEPS_HINT } from '../build.js';
import { parseVmTimeout } from '../../vm/options.js';
import { vmChild } from '../../vm/child.js';
import { checkWorkTree, gitOk, subjectOf } from './git.js';
import { skip, stepOutcome, type StepOutcome } from './outcome.js';

/** git bisect run stops the whole bisect on >= 128: only for what no other commit could change. */
export const STEP_ABORT = 128;
export const DEFAULT_STEP_TIMEOUT_S = 600;

export interface StepOptions {
  /** Top of the kernel git tree. */
  source: string;
  /** Seconds the guest may run (vm --timeout). */
  timeout: string;
  /** `run` options for the guest (after --). */
  runArgs: string[];
}

export const STEP_USAGE =
  'usage: tracefs-regress kernel bisect-step [--source DIR] [--timeout TIME] -- <run options>\n' +
  `  --source DIR       the kernel git tree at the commit to test (default: the current directory)\n` +
  `  --timeout TIME     kill a guest that runs longer (500ms, 3s, 20m, 1h; a bare number is seconds) (default ${DEFAULT_STEP_TIMEOUT_S})\n` +
  '  exit: 0 good, 1 bad (FAIL, XPASS, TIMEOUT), 125 skip (no build, no boot, SKIP, UNRESOLVED),\n' +
  `        ${STEP_ABORT} abort (bad options, missing build tools, stopped by a signal)\n`;

/**
 * The step's raw arguments (commander hands them over unparsed: a usage error
 * must abort the bisect, not exit 2, which git would take for "bad").
 * Undefined for --help.
 */
export function parseStepArgs(raw: readonly string[], cwd = process.cwd()): Omit<StepOptions, 'source'> & { source: string } | undefined {
  const sep = raw.indexOf('--');
  const own = sep < 0 ? [...raw] : raw.slice(0, sep);
  const runArgs = sep < 0 ? [] : raw.slice(sep + 1);
  let values: { source?: string; timeout?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: own,
      options: { source: { type: 'string' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(`kernel bisect-step: ${(e as Error).message}; run options go after --\n${STEP_USAGE}`);
  }
  if (values.help) return undefined;
  const timeout = values.timeout ?? String(DEFAULT_STEP_TIMEOUT_S);
  parseVmTimeout(timeout); // the vm child reads the same syntax; a bad one is a usage error here, before any build
  for (const a of ['--format', '--output', '-o']) {
    if (runArgs.includes(a)) throw new UsageError(`${a} after --: the step reads the guest's JSON report itself; leave it out`);
  }
  return { source: path.resolve(cwd, values.source ?? '.'), timeout, runArgs };
}

/** One build dir per tree: its object dir carries over from step to step, so a step recompiles only what the commit changed. */
export function stepBuildName(tree: string): string {
  return `bisect-${sha256Of(path.resolve(tree)).slice(0, 12)}`;
}

/** Where a step keeps the guest's report and logs: per tree, per commit (a re-run overwrites). */
export function stepDir(tree: string, commit: string): string {
  return path.join(cacheRoot(), 'bisect', stepBuildName(tree), commit.slice(0, 12));
}

/** Checks that hold for every commit: a failure aborts the bisect instead of skipping commit after commit. */
export async function checkStep(o: StepOptions): Promise<string> {
  const top = await checkWorkTree(o.source);
  const missing = missingBuildDeps();
  if (missing.length) throw new EnvironmentError(`kernel build needs ${missing.join(', ')}: ${BUILD_DEPS_HINT}`);
  return top;
}

export interface StepIo {
  /** The package root (bin/tracefs-regress.js). */
  root: string;
  say: (m: string) => void;
  /** Aborted by a signal: the running child ends, nothing else starts. */
  signal?: AbortSignal;
}

/**
 * One bisect boot (a git step's bzImage, a release's debian: spec): `vm` in a
 * child, its console and output kept in dir, its JSON report read back.
 */
export async function bootForBisect(
  kernel: string,
  dir: string,
  o: { root: string; timeout: string; runArgs: string[]; signal?: AbortSignal | undefined },
): Promise<{ report?: RunReport; exitCode: number | undefined; all: string }> {
  const r = await vmChild(
    {
      root: o.root,
      kernel,
      timeout: o.timeout,
      consoleLog: path.join(dir, 'console.log'),
      mode: { kind: 'run', args: o.runArgs, report: path.join(dir, 'report.json') },
    },
    { signal: o.signal, vmLog: path.join(dir, 'vm.log') },
  );
  return { ...(r.report ? { report: r.report } : {}), exitCode: r.exitCode, all: r.all };
}

/** Build, boot and judge HEAD of tree. Never throws for what the commit did: those are skips. */
export async function runStep(o: StepOptions, tree: string, io: StepIo): Promise<StepOutcome & { commit: string; subject: string }> {
  const commit = await gitOk(tree, ['rev-parse', '--verify', 'HEAD']);
  const subject = await subjectOf(tree, commit);
  const dir = stepDir(tree, commit);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const at = { commit, subject };

  let bzImage: string;
  try {
    const t0 = Date.now();
    const b = await buildKernel({ name: stepBuildName(tree), source: tree, log: (m) => io.say(`  ${m}`) });
    bzImage = b.bzImage;
    io.say(`  built ${commit.slice(0, 12)} in ${((Date.now() - t0) / 1000).toFixed(0)} s (${b.how})`);
  } catch (e) {
    // The builder's errors end in make's or patch's or kconfig's own lines: the first line says which.
    const first = (e as Error).message.split('\n')[0]!;
    return { ...at, ...skip(`the tree does not build or take the fragment: ${first}`) };
  }
  if (io.signal?.aborted) return { ...at, ...skip('stopped by a signal') };

  const t0 = Date.now();
  const r = await bootForBisect(bzImage, dir, { root: io.root, timeout: o.timeout, runArgs: o.runArgs, signal: io.signal });
  io.say(`  booted and ran in ${((Date.now() - t0) / 1000).toFixed(0)} s; logs in ${dir}`);
  const parsed = r.report;
  const out = stepOutcome(parsed, r.exitCode);
  // vm's own last words say why there was no report (e.g. a bad run option): keep them in the line.
  if (!parsed) {
    const last = r.all.split('\n').filter(Boolean).at(-1);
    if (last) return { ...at, ...out, why: `${out.why}: ${last}` };
  }
  return { ...at, ...out };
}

/** The step's line: `bisect-step: <hash> bad (exit 1): <why> -- <subject>`. */
export function stepLine(s: StepOutcome & { commit: string; subject: string }): string {
  return `bisect-step: ${s.commit.slice(0, 12)} ${s.verdict} (exit ${s.code}): ${s.why} -- ${s.subject}`;
}
