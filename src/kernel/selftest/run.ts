// SPDX-License-Identifier: GPL-2.0-only
// `tracefs-regress kernel selftest`: prove the suite catches the planted
// regressions. Builds the clean kernel and every test/mutants/*.patch
// (incremental after the first), boots each in the VM runner, runs the suite,
// and asserts: the clean kernel passes every scenario; every mutant fails in
// the scenarios its header names, with the violating op quoted. Then (unless
// --no-ftracetest) runs the kernel's own ftracetest on the same kernels for
// comparison. Between the two (unless --no-repro), the C reproducers the
// mutants' first boots wrote (and Debian 6.1's) are built and run on their own
// kernel and on the clean one (repro.ts). Then (unless --no-bisect) `kernel
// bisect` on a synthetic git history must name the commit that applied a
// mutant. Prints a mutant x scenario table; writes JSON and Markdown summaries
// to the results directory.
import { EXIT } from '../../errors.js';
import { selftestOutcome } from './tables.js';
import { CATALOGUE } from '../../scenarios/catalogue.js';
import { prepareOutputDir, writeFileInDir } from '../../util/output.js';
import type { Mutant } from '../patches.js';
import { runBisectCheck, type BisectCheck } from './bisect.js';
import { buildAll, kernelsFor } from './builds.js';
import { Stopper, type SelftestContext, type SelftestKernel } from './context.js';
import { ftraceTable, runFtracetests } from './ftrace.js';
import type { SelftestOptions } from './options.js';
import { runReproStep } from './repro.js';
import { runSuites, suiteTable } from './suite.js';

export interface SelftestIo {
  /** The package root (bin/tracefs-regress.js is spawned from there). */
  root: string;
  /** Progress lines (stderr). */
  say: (m: string) => void;
  /** Tables (stdout). */
  print: (s: string) => void;
}

/** The whole self-test; resolves to its exit code (0 all caught, 1 a problem, 130 stopped by a signal). */
export async function runSelftest(opts: SelftestOptions, mutants: readonly Mutant[], io: SelftestIo): Promise<number> {
  const stop = new Stopper(io.say).install();
  try {
    return await steps({ root: io.root, opts, raceIds: raceScenarioIds(), say: io.say, stop }, mutants, io.print);
  } catch (e) {
    // A signal reaches make and QEMU too: what fails after it is the stop, not a bug.
    if (stop.stopping) return EXIT.sigint;
    throw e;
  } finally {
    stop.uninstall();
  }
}

export function raceScenarioIds(): Set<string> {
  return new Set(CATALOGUE.filter((s) => s.race).map((s) => s.id));
}

async function steps(ctx: SelftestContext, all: readonly Mutant[], print: (s: string) => void): Promise<number> {
  const { opts } = ctx;
  // A user-named --out is an output like any (util/output): storage only, never a kernel filesystem.
  prepareOutputDir(opts.outDir, '--out');
  const mutants = opts.only.length ? all.filter((m) => opts.only.includes(m.name)) : [...all];
  const kernels = kernelsFor(mutants, opts.kasan);
  const write = (file: string, text: string) => writeFileInDir(opts.outDir, file, text, '--out');

  const built = opts.builds ? await buildAll(ctx, kernels) : undefined;
  if (built !== undefined) return built;

  const failures: string[] = [];
  if (opts.suite) {
    const stopped = await runSuites(ctx, kernels, failures);
    if (stopped !== undefined) return stopped;
    const table = suiteTable(kernels, opts.raceRuns);
    print(`\n${table}\n`);
    write('suite-table.md', `${table}\n`);
  }
  if (opts.suite && opts.repro) {
    const stopped = await runReproStep(ctx, kernels, failures, print);
    if (stopped !== undefined) return stopped;
  }
  if (opts.ftracetest) {
    const stopped = await runFtracetests(ctx, kernels);
    if (stopped !== undefined) return stopped;
    const table = ftraceTable(kernels);
    print(`\n${table}\n`);
    write('ftracetest-table.md', `${table}\n`);
  }

  let bisect: BisectCheck | undefined;
  if (opts.bisect) {
    const r = await runBisectCheck(ctx, all);
    if (typeof r === 'number') return r;
    bisect = r;
    failures.push(...r.problems);
  }

  const kernelsOut = opts.builds ? kernels.map(({ report: _report, ...k }: SelftestKernel) => k) : [];
  const summary = { kasan: opts.kasan, kernels: kernelsOut, ...(bisect ? { bisect } : {}), failures };
  write('summary.json', JSON.stringify(summary, null, 2));
  ctx.say(`results in ${opts.outDir}`);
  const outcome = selftestOutcome(failures, { suiteRan: opts.suite });
  for (const l of outcome.lines) ctx.say(l);
  return outcome.exitCode;
}
