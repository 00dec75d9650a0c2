// SPDX-License-Identifier: GPL-2.0-only
// Step 4: the C reproducers (issue 12's "Done when"). The first suite boot of
// every mutant wrote one per FAIL (`vm --repro-dir`, no extra boot); Debian
// 6.1 joins with a boot of fd-across-removal (its known WARN). Every file is
// built statically on the host, run in a fresh guest of its own kernel with
// `vm --exec` (must print REPRODUCED: and exit 1), then on the clean kernel
// (must print `not reproduced` and exit 0).
//
// Boots: single-threaded reproducers of a kernel share one guest (a driver
// script runs them one after another and prints each exit status). Race
// reproducers of a race-only mutant get a guest each, with the mutant's
// Cmdline and a bounded duration, until one reproduces (at most RACE_BOOTS
// per kernel; a miss of one is tolerated when another reproduced); on other
// kernels (where the violation shows without an oops) they join the driver
// with a shorter duration, at most RACE_BOOTS too. The clean kernel runs
// everything that ran in one guest for the single-threaded ones and one for
// the race ones.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { EXIT } from '../../errors.js';
import { vmChild } from '../../vm/child.js';
import { renderReproTable, type ReproKernelTime } from './repro-table.js';
import type { SelftestContext, SelftestKernel } from './context.js';
import {
  judgeClean,
  judgeOwn,
  parseDriverOutput,
  parseExecBoot,
  pickRaces,
  reproDriverScript,
  reproName,
  reproProblems,
  type ExecBoot,
  type ReproRow,
} from './repro-verdict.js';

/** Under outDir: repro/<kernel>/*.c (generated), repro/bin/ (built, with the driver), repro/build-logs/. */
export const REPRO_DIR = 'repro';
/** Debian 6.1's known WARN (kernel/known-bugs.json): a trigger written through a held fd. */
export const DEBIAN_61 = { name: 'debian-6.1', spec: 'debian:6.1', scenario: 'fd-across-removal' } as const;
/** Race reproducers run per kernel (each a boot of its own on a race-only mutant). */
export const RACE_BOOTS = 2;
/** Seconds a race reproducer races: on a race-only mutant, inside another kernel's driver, and on clean. */
export const RACE_SECONDS = { own: 60, driver: 20, clean: 10 } as const;
/** A guest running reproducers: boot and teardown on top of their race time. */
const EXEC_SLACK_S = 240;

/** The race reproducers' duration option (repro-race's generated programs take `-d SECONDS`). */
export const raceArgs = (s: number): string => `-d ${s}`;

/** `vm --repro-dir` for a kernel's first suite boot: its reproducers go to <outDir>/repro/<kernel>. */
export function reproVmArgs(outDir: string, kernel: string): string[] {
  return ['--repro-dir', path.join(outDir, REPRO_DIR, kernel)];
}

/** A kernel whose reproducers this step runs. */
interface Target {
  name: string;
  /** vm --kernel's value. */
  kernel: string;
  append?: string;
  /** A race-only mutant (Race: yes): its race reproducers get a boot each. */
  raceOnly: boolean;
  /** The mutant's Expect: its race reproducers are picked in this order. */
  expect: readonly string[];
}

export interface ReproStepResult {
  rows: ReproRow[];
  times: ReproKernelTime[];
  table: string;
}

/** Runs the step; pushes its problems onto failures. EXIT.sigint when a signal stopped it. */
export async function runReproStep(
  ctx: SelftestContext,
  kernels: SelftestKernel[],
  failures: string[],
  print: (s: string) => void,
): Promise<number | undefined> {
  const clean = kernels.find((k) => !k.mutant);
  if (!clean?.build) {
    failures.push('reproducers: no clean kernel to run them on');
    return undefined;
  }
  const targets: Target[] = kernels
    .filter((k) => k.mutant && k.build)
    .map((k) => ({
      name: k.name,
      kernel: k.build!.bzImage,
      append: k.mutant!.cmdline,
      raceOnly: !!k.mutant!.race,
      expect: k.mutant!.expect,
    }));
  const times = new Map<string, ReproKernelTime>();
  const time = (name: string) => times.get(name) ?? times.set(name, { kernel: name, buildMs: 0, runMs: 0, boots: 0 }).get(name)!;

  if (ctx.opts.repro61) {
    const t0 = Date.now();
    ctx.say(`reproducers: generating on ${DEBIAN_61.spec} (-s ${DEBIAN_61.scenario})`);
    await generate61(ctx);
    Object.assign(time(DEBIAN_61.name), { generateMs: Date.now() - t0, boots: 1 });
    targets.push({ name: DEBIAN_61.name, kernel: DEBIAN_61.spec, raceOnly: false, expect: [DEBIAN_61.scenario] });
  }
  if (ctx.stop.stopping) return EXIT.sigint;

  const bin = path.join(ctx.opts.outDir, REPRO_DIR, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const driver = path.join(bin, 'run-repros.sh');
  fs.writeFileSync(driver, reproDriverScript(), { mode: 0o755 });

  const rows: ReproRow[] = [];
  for (const t of targets) {
    const t0 = Date.now();
    rows.push(...(await buildAll(ctx, t.name, bin)));
    time(t.name).buildMs = Date.now() - t0;
  }
  for (const t of targets) {
    if (ctx.stop.stopping) return EXIT.sigint;
    const t0 = Date.now();
    time(t.name).boots += await runOwn(
      ctx,
      t,
      driver,
      rows.filter((r) => r.kernel === t.name),
    );
    time(t.name).runMs = Date.now() - t0;
    ctx.say(`  ${t.name}: reproducers run in ${secs(Date.now() - t0)} s`);
  }
  if (ctx.stop.stopping) return EXIT.sigint;
  const t0 = Date.now();
  time(clean.name).boots += await runClean(ctx, clean.build.bzImage, driver, rows);
  time(clean.name).runMs = Date.now() - t0;

  const table = renderReproTable(rows, [...times.values()]);
  print(`\n${table}\n`);
  fs.writeFileSync(path.join(ctx.opts.outDir, 'repro-table.md'), `${table}\n`);
  fs.writeFileSync(path.join(ctx.opts.outDir, 'repro.json'), JSON.stringify({ rows, times: [...times.values()] }, null, 2));
  failures.push(...reproProblems(rows, targets.map((t) => t.name)).map((p) => `reproducers: ${p}`));
  return undefined;
}

/** Debian 6.1: the suite's fd-across-removal in a guest, its reproducers to repro/debian-6.1/. */
async function generate61(ctx: SelftestContext): Promise<void> {
  const out = ctx.opts.outDir;
  const tag = DEBIAN_61.name;
  const r = await vmChild(
    {
      root: ctx.root,
      kernel: DEBIAN_61.spec,
      timeout: ctx.opts.timeout,
      consoleLog: path.join(out, `${tag}.console.log`),
      vmArgs: reproVmArgs(out, tag),
      mode: { kind: 'run', args: ['--scenario', DEBIAN_61.scenario], report: path.join(out, `${tag}.json`) },
    },
    { signal: ctx.stop.signal, vmLog: path.join(out, `${tag}.vm.log`) },
  );
  ctx.say(`  ${DEBIAN_61.spec}: vm exit ${r.exitCode} (a FAIL is expected: the WARN is the finding)`);
}

/** cc -O2 -static -pthread every .c of one kernel into bin/<kernel>--<name>; a failure keeps the compiler's output. */
async function buildAll(ctx: SelftestContext, kernel: string, bin: string): Promise<ReproRow[]> {
  const dir = path.join(ctx.opts.outDir, REPRO_DIR, kernel);
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
  } catch {
    /* none generated: reproProblems says so */
  }
  ctx.say(`reproducers of ${kernel}: ${files.length} generated${files.length ? `: ${files.join(' ')}` : ''}`);
  const rows = files.map((f): ReproRow => {
    const { name, scenario } = reproName(f);
    return { kernel, name, race: ctx.raceIds.has(scenario), source: path.join(dir, f) };
  });
  // Two compilers at a time: a static link is most of each build, and the machine has 2 cores.
  const queue = [...rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) await buildOne(ctx, row, bin);
  };
  await Promise.all([worker(), worker()]);
  return rows;
}

async function buildOne(ctx: SelftestContext, row: ReproRow, bin: string): Promise<void> {
  const binary = path.join(bin, `${row.kernel}--${row.name}`);
  const r = await execa('cc', ['-O2', '-static', '-pthread', '-o', binary, row.source], { reject: false, all: true });
  if (r.exitCode === 0) {
    row.binary = binary;
    return;
  }
  const logs = path.join(ctx.opts.outDir, REPRO_DIR, 'build-logs');
  fs.mkdirSync(logs, { recursive: true });
  row.buildLog = path.join(logs, `${row.kernel}--${row.name}.log`);
  fs.writeFileSync(row.buildLog, `$ cc -O2 -static -pthread -o ${binary} ${row.source}\n${r.all ?? ''}\nexit ${r.exitCode}\n`);
  ctx.say(`  ${row.name}: build FAILED (exit ${r.exitCode}), see ${row.buildLog}`);
}

/** The reproducers of one kernel in fresh guests of it; returns the number of boots. */
async function runOwn(ctx: SelftestContext, t: Target, driver: string, rows: ReproRow[]): Promise<number> {
  const built = rows.filter((r) => r.binary);
  const singles = built.filter((r) => !r.race);
  const racesRun = pickRaces(
    built.filter((r) => r.race),
    t.expect,
    RACE_BOOTS,
  );
  const judge = (batch: ReproRow[], out: BatchOutput) => {
    for (const r of batch) {
      r.own = judgeOwn(out.runs.get(path.basename(r.binary!)), r.race, out.boot);
      ctx.say(`  ${r.name} on ${t.name}: ${r.own.cell}${r.own.problem ? `: ${r.own.problem}` : r.own.line ? `: ${r.own.line}` : ''}`);
    }
  };
  let boots = 0;
  const inDriver = t.raceOnly ? singles : [...singles, ...racesRun];
  if (inDriver.length) {
    const d = t.raceOnly ? 0 : RACE_SECONDS.driver;
    judge(inDriver, await runBatch(ctx, t, driver, inDriver, d, `repro.${t.name}`));
    boots++;
  }
  if (t.raceOnly) {
    for (const [i, r] of racesRun.entries()) {
      if (ctx.stop.stopping) break;
      // One race reproducer that reproduced is the kernel's proof; the next would only cost a boot.
      if (racesRun.some((x) => x.own?.cell.startsWith('reproduced'))) {
        r.skipped = 'not run: another race reproducer of this kernel reproduced already (CI time)';
        continue;
      }
      judge([r], await runBatch(ctx, t, driver, [r], RACE_SECONDS.own, `repro.${t.name}.race${i + 1}`));
      boots++;
    }
  }
  return boots;
}

/** Everything that ran on its own kernel, on the clean kernel: the single-threaded in one guest, the races in another. */
async function runClean(ctx: SelftestContext, bzImage: string, driver: string, rows: ReproRow[]): Promise<number> {
  const ran = rows.filter((r) => r.binary && r.own);
  const t: Target = { name: 'clean', kernel: bzImage, raceOnly: false, expect: [] };
  let boots = 0;
  for (const [batch, tag] of [
    [ran.filter((r) => !r.race), 'repro.clean'],
    [ran.filter((r) => r.race), 'repro.clean.races'],
  ] as const) {
    if (!batch.length || ctx.stop.stopping) continue;
    const out = await runBatch(ctx, t, driver, batch, RACE_SECONDS.clean, tag);
    boots++;
    for (const r of batch) {
      r.clean = judgeClean(out.runs.get(path.basename(r.binary!)), out.boot);
      ctx.say(`  ${r.kernel}/${r.name} on clean: ${r.clean.cell}${r.clean.problem ? `: ${r.clean.problem}` : ''}`);
    }
  }
  return boots;
}

interface BatchOutput {
  runs: ReturnType<typeof parseDriverOutput>;
  boot: ExecBoot;
}

/** One guest: `vm --exec driver -- BIN ARGS ...`; race reproducers get `-d raceS`. */
async function runBatch(
  ctx: SelftestContext,
  t: Target,
  driver: string,
  batch: ReproRow[],
  raceS: number,
  tag: string,
): Promise<BatchOutput> {
  const out = ctx.opts.outDir;
  const raceTotal = batch.filter((r) => r.race).length * raceS;
  const pairs = batch.flatMap((r) => [r.binary!, r.race ? raceArgs(raceS) : '']);
  ctx.say(`reproducers on ${t.name}: ${batch.length} in one guest${raceTotal ? ` (races -d ${raceS})` : ''}`);
  const r = await vmChild(
    {
      root: ctx.root,
      kernel: t.kernel,
      append: t.append,
      timeout: String(raceTotal + EXEC_SLACK_S),
      consoleLog: path.join(out, `${tag}.console.log`),
      mode: { kind: 'exec', program: driver, args: pairs },
    },
    { signal: ctx.stop.signal },
  );
  fs.writeFileSync(path.join(out, `${tag}.vm.log`), `$ ${r.argv.join(' ')}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n`);
  return { runs: parseDriverOutput(r.stdout), boot: parseExecBoot(r.exitCode, r.stderr) };
}

const secs = (ms: number) => (ms / 1000).toFixed(0);
