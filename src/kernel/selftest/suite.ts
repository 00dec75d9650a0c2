// SPDX-License-Identifier: GPL-2.0-only
// Step 2: the suite in the VM runner, one boot per kernel (and --race-runs
// boots per race-only mutant), each judged against the mutant's header.
//
// Each boot is a `tracefs-regress vm` child process, not an in-process call
// into vm/: the command line is the VM runner's stable interface, the child's
// own signal handling kills its QEMU, and its whole output is kept per boot.
import path from 'node:path';
import { EXIT } from '../../errors.js';
import type { RunReport } from '../../report/types.js';
import { vmChild } from '../../vm/child.js';
import { renderRaceSection, renderSuiteTable } from './tables.js';
import type { SelftestContext, SelftestKernel } from './context.js';
import { reproVmArgs } from './repro.js';
import { kernelProblems, raceSecondsToFailure, raceSummary, scenarioCells, verdictFor, type RaceRun } from './verdict.js';

interface Boot {
  suite: NonNullable<SelftestKernel['suite']>;
  report: RunReport | undefined;
}

/** One boot of the suite under the runner's defaults (the mutant's Cmdline added); vm args before `--`, run args after. */
export async function bootSuite(ctx: SelftestContext, k: SelftestKernel, tag: string, runArgs: string[], vmArgs: string[] = []): Promise<Boot> {
  const out = ctx.opts.outDir;
  const r = await vmChild(
    {
      root: ctx.root,
      kernel: k.build!.bzImage,
      append: k.mutant?.cmdline,
      timeout: ctx.opts.timeout,
      consoleLog: path.join(out, `${tag}.console.log`),
      vmArgs,
      mode: { kind: 'run', args: runArgs, report: path.join(out, `${tag}.json`) },
    },
    { signal: ctx.stop.signal, vmLog: path.join(out, `${tag}.vm.log`) },
  );
  return {
    suite: { exitCode: r.exitCode, wallMs: r.wallMs, vmLog: r.all.split('\n').filter((l) => l.startsWith('vm:')) },
    report: r.report,
  };
}

const secs = (ms: number) => (ms / 1000).toFixed(0);

/**
 * A race may miss in one boot: a race-only mutant must be caught in every one
 * of --race-runs boots. The first boot ran the whole suite (which also shows
 * the single-threaded scenarios pass); the others run the races only.
 */
async function rebootRaces(ctx: SelftestContext, k: SelftestKernel): Promise<string[]> {
  const v0 = k.verdict!;
  const runs: RaceRun[] = [{ ok: v0.ok, secondsToFailure: raceSecondsToFailure(k.report, ctx.raceIds), caught: Object.keys(v0.caught) }];
  for (let i = 2; i <= ctx.opts.raceRuns && !ctx.stop.stopping; i++) {
    const b = await bootSuite(ctx, k, `${k.name}.${i}`, ['--scenario', 'race-*']);
    const v = verdictFor(b.report, k.mutant, { kasan: ctx.opts.kasan, raceIds: ctx.raceIds });
    runs.push({ ok: v.ok, secondsToFailure: raceSecondsToFailure(b.report, ctx.raceIds), caught: Object.keys(v.caught) });
    ctx.say(`  boot ${i}: ${v.ok ? 'caught' : 'NOT caught'}: ${v.summary} (${secs(b.suite.wallMs)} s)`);
    for (const p of v.problems) ctx.say(`    ${p}`);
  }
  const sum = raceSummary(k.name, runs);
  k.raceRuns = runs;
  k.raceLine = sum.line;
  ctx.say(`  ${sum.line}`);
  return kernelProblems(k.name, v0, sum);
}

/** Boots and judges every kernel; pushes each problem onto failures. EXIT.sigint when a signal stopped the run. */
export async function runSuites(ctx: SelftestContext, kernels: SelftestKernel[], failures: string[]): Promise<number | undefined> {
  for (const k of kernels) {
    if (ctx.stop.stopping) return EXIT.sigint;
    ctx.say(`suite on ${k.name}${k.mutant?.cmdline ? ` (guest cmdline + ${k.mutant.cmdline})` : ''}`);
    // The first boot of a mutant also writes its C reproducers (step 4): no extra boot.
    const repro = ctx.opts.repro && k.mutant ? reproVmArgs(ctx.opts.outDir, k.name) : [];
    Object.assign(k, await bootSuite(ctx, k, k.name, [], repro));
    k.verdict = verdictFor(k.report, k.mutant, { kasan: ctx.opts.kasan, raceIds: ctx.raceIds });
    ctx.say(`  ${k.verdict.ok ? 'as expected' : 'NOT as expected'}: ${k.verdict.summary} (${secs(k.suite!.wallMs)} s)`);
    failures.push(...(k.mutant?.race ? await rebootRaces(ctx, k) : kernelProblems(k.name, k.verdict)));
  }
  return undefined;
}

/** The suite table and, when race-only mutants ran, their boots. */
export function suiteTable(kernels: readonly SelftestKernel[], raceRuns: number): string {
  const rows = kernels.map((k) => ({ name: k.name, cells: scenarioCells(k.report, k.mutant), verdict: k.verdict!, wallMs: k.suite!.wallMs }));
  const races = kernels.flatMap((k) => (k.raceLine ? [k.raceLine] : []));
  return renderSuiteTable(rows) + renderRaceSection(races, raceRuns);
}
