// SPDX-License-Identifier: GPL-2.0-only
// The `vm` command's work: check the input (plan.ts), fetch or check the
// kernels and QEMU, pick the accelerator, boot each kernel, and render the
// reports on the host.
import fs from 'node:fs';
import path from 'node:path';
import { EXIT, EnvironmentError, UsageError } from '../errors.js';
import { OutputFile, stdoutFailed, writeStdout } from '../util/output.js';
import { cacheDirs } from '../host/paths.js';
import { packageRoot, toolVersion } from '../package.js';
import { nothingToReport, render, renderJsonMatrix, renderMany, useColor } from '../report/index.js';
import { describeScenario } from '../scenarios/catalogue.js';
import { reportedConfigFromText } from '../report/config.js';
import type { RunReport } from '../report/types.js';
import { chooseAccel, type Accel } from './qemu/accel.js';
import { bootOnce, bootPathText, JOURNAL_FILE, type BootCommon, type BootOutcome } from './boot/boot.js';
import { resolveCustom } from './kernels/custom.js';
import { execExitCode } from './boot/exec.js';
import { ensureDeps } from './qemu/deps.js';
import { finishCoverage, gcovHook, planCoverage } from '../coverage/vm.js';
import { readGuestBytes } from './guest/file.js';
import { judgeVmReport, nameVmReport } from './expectations.js';
import { IGNORE_KNOWN_CRASHERS, RUN_KNOWN_CRASHERS } from '../expectations/apply.js';
import { OOPS_GRACE_MS } from './boot/watch.js';
import { planDebian, type KernelImage } from './kernels/kernels.js';
import { planCells, planId, shardCells, type MatrixCell } from './matrix/cells.js';
import { combinedExitCode, exitCodeOf, matrixTable, reportOf } from './matrix/matrix.js';
import type { VmOpts } from './options.js';
import { emulatorInt3 } from './boot/outcome.js';
import { isDebianSpec, planExecVm, planVm, type VmPlan } from './plan.js';
import type { RunGrammar } from './run-args.js';
import { retrying } from './retry.js';
import { chooseQemu, describeQemu, hostQemuSources, type QemuChoice } from './qemu/choice.js';
import { collectRepro, hostReproDir, mapReproPaths, SHARE_REPRO } from './repro.js';
import { VmKtap } from './matrix/ktap-live.js';
import { fdSink } from '../report/ktap-stream.js';

/** What every boot of one `vm` run shares. */
interface VmRun {
  plan: VmPlan;
  o: VmOpts;
  qemu: QemuChoice;
  say: (m: string) => void;
  /** --format ktap: the guest's results go out as they arrive. */
  ktap?: VmKtap;
  /** --coverage: the guest copies its gcov data; this takes it from the share. */
  gcov?: (share: string) => void;
}

/** One boot of the plan: its cell and the kernel image it boots. */
interface Cell {
  cell: MatrixCell;
  image: KernelImage;
}

/** One kernel's boot, and a note for its report when an earlier boot was discarded. */
interface KernelBoot {
  outcome: BootOutcome;
  note?: string;
}

/** `vm`: `grammar` is `run`'s command, which reads the guest's arguments (run-args.ts). */
export async function runVm(runArgs: string[], o: VmOpts, grammar: RunGrammar): Promise<number> {
  if (o.exec !== undefined) return runExec(runArgs, o);
  const say = (m: string) => process.stderr.write(`vm: ${m}\n`);
  // Everything the user typed is checked before anything is fetched or booted.
  const plan = planVm(runArgs, o, grammar);
  const cov = planCoverage(o);
  const gcov = cov && gcovHook(cov, say, readGuestBytes);
  return withSetup(plan, o, say, say, async (setup) => {
    // The report's temporary file, made now; the old file stays until the report is complete (or the KTAP stream starts).
    const file = plan.output ? OutputFile.open(plan.output) : undefined;
    try {
      const planned = await setup.kernels();
      const cells = await cellsToBoot(planned, plan, say);
      // Chosen (and fetched when needed) before --fetch-only returns: CI's cache warm-up gets the QEMU too.
      const qemu = await setup.qemu();
      if (qemu.fallback) say(`note: ${qemu.fallback}`);
      if (o.fetchOnly) {
        const seen = new Set<KernelImage>();
        for (const { image: k } of cells)
          if (!seen.has(k) && seen.add(k)) process.stdout.write(`${k.spec} ${k.release} ${k.vmlinuz}\n`);
        return EXIT.ok;
      }
      if (!cells.length) return emptyShard(plan, file);
      if (planned.length > 1 || plan.boots > 1)
        say(`kernels: ${planned.map((k) => k.name).join(', ')}${plan.boots > 1 ? `; ${plan.boots} boots each` : ''}`);
      const out = plan.format === 'ktap' ? ktapOutput(file) : undefined;
      const ktap = out ? new VmKtap(out.sink, cells.length) : undefined;
      const boots = await bootAll(cells, {
        plan,
        o,
        qemu,
        say,
        ...(ktap ? { ktap } : {}),
        ...(gcov ? { gcov: gcov.hook } : {}),
      });
      if (ktap) {
        const stopped = boots.at(-1)?.outcome;
        ktap.end(
          cells.slice(boots.length).map(({ cell }) => cellName(cell)),
          stopped?.message ?? 'the series ended first',
        );
      }
      const code = renderReports(boots, cells, plan, qemu, file, out?.failed());
      if (cov) await finishCoverage(cov, gcov!.result(), say);
      return code;
    } finally {
      file?.discard();
    }
  });
}

/** What runVm and runExec share once the input is checked: the kernels of the plan and the QEMU, in this order. */
interface Setup {
  kernels: () => Promise<PlannedKernel[]>;
  qemu: () => Promise<QemuChoice>;
}

/**
 * The prerequisites checked (or installed), then `body`; a custom kernel's
 * staged modules are in its initramfs by the time it returns: nothing of them
 * is kept, whatever happened.
 */
async function withSetup(
  plan: VmPlan,
  o: VmOpts,
  say: (m: string) => void,
  warn: (m: string) => void,
  body: (s: Setup) => Promise<number>,
): Promise<number> {
  await ensureDeps({
    debian: plan.specs.some(isDebianSpec),
    coverage: o.coverage !== undefined,
    install: !!o.installDeps,
    log: warn,
  });
  const stages: string[] = [];
  try {
    return await body({
      kernels: () => planKernels(plan.specs, o.modules, stages, say),
      qemu: async () => {
        const qemu = await chooseQemu(hostQemuSources(say));
        say(describeQemu(qemu));
        return qemu;
      },
    });
  } finally {
    for (const d of stages) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** A kernel of the plan, known by name before anything is downloaded. */
interface PlannedKernel {
  /** uname -r when known (every debian: release, most bzImages), else the spec. */
  name: string;
  /** The same image twice is booted once: the release for debian:, the path for a bzImage. */
  key: string;
  get: () => Promise<KernelImage>;
}

/** Each spec's kernels, checked (the archive queried, each path read) before the first download. */
async function planKernels(
  specs: string[],
  modules: string | undefined,
  stages: string[],
  say: (m: string) => void,
): Promise<PlannedKernel[]> {
  const planned: PlannedKernel[] = [];
  const add = (k: PlannedKernel) => {
    // debian:latest may be the same kernel as debian:7.3, a range may overlap another: boot each once.
    if (!planned.some((x) => x.key === k.key)) planned.push(k);
  };
  for (const s of specs) {
    if (isDebianSpec(s)) {
      const p = await planDebian(s, say);
      for (const r of p.releases) add({ name: r.release, key: `debian:${r.release}`, get: () => p.fetchOne(r) });
    } else {
      const k = await resolveCustom(s, modules, stageDir(stages));
      add({ name: k.release || k.spec, key: path.resolve(k.vmlinuz), get: async () => k });
    }
  }
  return planned;
}

/** The plan's cells (--boots), this job's share of them (--shard), and the kernels that share needs, fetched. */
async function cellsToBoot(planned: PlannedKernel[], plan: VmPlan, say: (m: string) => void): Promise<Cell[]> {
  const all = planCells(
    planned.map((k) => k.name),
    plan.boots,
    planId(
      planned.map((k) => k.name),
      plan.boots,
      plan.guestArgs,
    ),
  );
  const mine = shardCells(all, plan.shard);
  if (plan.shard)
    say(
      `shard ${plan.shard.index}/${plan.shard.count}: ${mine.length} of ${all.length} boots` +
        (mine.length ? ` (cells ${mine[0]!.index}..${mine.at(-1)!.index})` : ': nothing to boot'),
    );
  const images = new Map<string, KernelImage>();
  const out: Cell[] = [];
  for (const cell of mine) {
    const k = planned[Math.floor(cell.index / plan.boots)]!;
    let image = images.get(k.key);
    if (!image) images.set(k.key, (image = await k.get()));
    out.push({ cell, image });
  }
  return out;
}

/** Boot the cells one after another (the accelerator chosen on the first); an interrupt ends the series. */
async function bootAll(cells: Cell[], run: VmRun): Promise<KernelBoot[]> {
  let accel: Accel | undefined;
  const boots: KernelBoot[] = [];
  const many = cells.length > 1 || run.plan.boots > 1 || !!run.plan.shard;
  for (const c of cells) {
    const k = c.image;
    accel ??= await pickAccel(k, run);
    run.say(
      `booting ${cellName(c.cell)} (${run.plan.memoryMiB} MiB, ${run.plan.cpus} CPUs; ${bootPathText(selfContained(k, run.o))})`,
    );
    const b = await bootKernel(c, accel, many, run);
    boots.push(b);
    run.ktap?.bootEnded(
      finalReport(b, c, run.plan, run.qemu),
      b.outcome.status === 'DONE' ? undefined : b.outcome.message,
    );
    sayOutcome(b.outcome, run.say);
    if (b.outcome.status === 'INTERRUPTED') break;
  }
  return boots;
}

/** A cell as people read it: the kernel, and which boot when there are several. */
function cellName(c: MatrixCell): string {
  return c.boots > 1 ? `${c.kernel} (boot ${c.boot}/${c.boots})` : c.kernel;
}

/** Per-boot file names (--keep-log, --repro-dir) when a run has several: the kernel, then .b<boot> for --boots. */
function cellSuffix(c: MatrixCell): string {
  return `${path.basename(c.kernel)}${c.boots > 1 ? `.b${c.boot}` : ''}`;
}

/** KVM when it works, else TCG; a candidate is tried with a short boot of /bin/true. */
async function pickAccel(k: KernelImage, run: VmRun): Promise<Accel> {
  const c = await chooseAccel({ tcg: run.plan.tcg, qemu: run.qemu.version }, async (a) => {
    const r = await bootOnce({ ...bootBase(k, a, run), timeoutMs: 60_000, guestArgv: () => ['/bin/true'] });
    return r.status === 'DONE' && r.guestCode === 0;
  });
  run.say(`accelerator: ${c.accel.kind === 'kvm' ? 'kvm' : `tcg thread=${c.accel.thread}`} (${c.why})`);
  return c.accel;
}

/** The suite on one kernel. An emulator fault is no verdict on the kernel: boot once more, and say so in the report. */
async function bootKernel({ image: k, cell }: Cell, accel: Accel, many: boolean, run: VmRun): Promise<KernelBoot> {
  const keepLog = run.o.keepLog && many ? `${run.o.keepLog}.${cellSuffix(cell)}` : run.o.keepLog;
  const repro = run.plan.reproDir && hostReproDir(run.plan.reproDir, cellSuffix(cell), many);
  const boot = async () => {
    const out = await bootOnce({
      ...bootBase(k, accel, run),
      timeoutMs: run.plan.timeoutMs,
      keepLog,
      oopsGraceMs: OOPS_GRACE_MS,
      guestArgv: (share) => guestArgv(run.plan, share, k),
      ...(run.gcov ? { gcov: run.gcov } : {}),
      ...(run.ktap ? { onJournal: run.ktap.onJournal } : {}),
      onConsole: (line) => process.stderr.write(`${many ? `[${cellName(cell)}] ` : ''}${line}\n`),
      ...(repro ? { shareDirs: [SHARE_REPRO], readShare: (share: string) => bringBack(share, repro, run.say) } : {}),
    });
    if (repro && out.report) out.report = mapReproPaths(out.report, path.join(out.runDir, 'share', SHARE_REPRO), repro);
    return out;
  };
  const int3Of = (out: BootOutcome) =>
    out.status === 'INTERRUPTED' ? undefined : emulatorInt3(out.accelerator, out.consoleFailures);
  const { result: outcome, discarded } = await retrying(
    () => boot(),
    (out) => (int3Of(out) ? 'emulator-int3' : undefined),
    (out) => {
      const int3 = int3Of(out);
      run.say(
        `${out.kernel}: '${int3}' under multi-threaded TCG is QEMU's text-patching fault, not a kernel verdict: booting once more`,
      );
      run.ktap?.note(`note: boot 1 discarded ('${int3}' under multi-threaded TCG, a QEMU fault): booting once more`);
    },
  );
  const first = discarded[0]?.result;
  if (!first) return { outcome };
  const note = `boot 1 discarded: '${int3Of(first)}' under multi-threaded TCG (a QEMU fault; console log ${first.serialLog || 'not kept'}); these results are from boot 2`;
  return { outcome, note };
}

/** --repro-dir: the guest's reproducers, copied from the share to the host directory. */
function bringBack(share: string, to: string, say: (m: string) => void): void {
  const c = collectRepro(path.join(share, SHARE_REPRO), to);
  say(`${c.copied.length} reproducer file${c.copied.length === 1 ? '' : 's'} copied to ${to}`);
  for (const r of c.refused) say(`  not copied from the results share: ${r}`);
}

/** The boot options every boot of this run shares (the accelerator probe's too). */
function bootBase(k: KernelImage, a: Accel, run: VmRun): Omit<BootCommon, 'timeoutMs' | 'guestArgv' | 'gcov'> {
  const { plan, o } = run;
  return {
    kernel: k,
    accel: a,
    memoryMiB: plan.memoryMiB,
    cpus: plan.cpus,
    append: o.append,
    cwd: packageRoot,
    verbose: !!o.verbose,
    log: run.say,
    qemu: run.qemu,
    ...(selfContained(k, o) ? { selfContained: true } : {}),
  };
}

/** A kernel without modules (no 9p) boots self-contained; --self-contained (hidden, for tests) forces it. */
function selfContained(k: KernelImage, o: VmOpts): boolean {
  return !!k.vmlinuzOnly || !!o.selfContained;
}

/**
 * The guest's command: `run` writing its report and journal into the results
 * share. A guest is disposable, so it runs the known crashers: judged by
 * their ranges on a distribution's kernel, plain FAILs on a built one (a tree's
 * release, 6.12.118 or a bisect step's, says nothing of the fixes it has).
 */
export function guestArgv(plan: VmPlan, share: string, k: Pick<KernelImage, 'spec'>): string[] {
  return [
    ...[
      process.execPath,
      plan.entry,
      'run',
      '--allow-remount', // the guest's tracefs is the run's alone; a later --no-allow-remount wins
      isDebianSpec(k.spec) ? RUN_KNOWN_CRASHERS : IGNORE_KNOWN_CRASHERS,
      ...plan.guestArgs,
      '--format',
      'json',
      '--output',
      path.join(share, 'report.json'),
    ],
    ...['--journal', path.join(share, JOURNAL_FILE)],
    ...(plan.reproDir ? ['--repro-dir', path.join(share, SHARE_REPRO)] : []),
  ];
}

/** One boot's summary lines on stderr. */
function sayOutcome(out: BootOutcome, say: (m: string) => void): void {
  const t = out.timings;
  say(
    `${out.kernel}: ${out.status}${out.message ? ` (${out.message})` : ''}; guest command started ${fmt(t.runStartMs)}, ` +
      `first result ${fmt(t.firstResultMs)}, total ${fmt(t.totalMs)} after QEMU started (${out.accelerator})`,
  );
  if (t.failureMs !== undefined)
    say(
      `  kernel failure on the console ${fmt(t.failureMs)} after QEMU started${out.running ? `, during ${out.running}` : ''}`,
    );
  if (out.partial)
    say(`  the guest wrote no final report: ${out.report?.results.length ?? 0} results from its run journal`);
  for (const l of out.consoleFailures) say(`  console: ${l}`);
  if (out.serialLog && out.status !== 'DONE') say(`  console log: ${out.serialLog}`);
}

/** One boot's report as the host renders it. */
function finalReport({ outcome, note }: KernelBoot, c: Cell | undefined, plan: VmPlan, qemu: QemuChoice): RunReport {
  const kernel = c?.image;
  const tool = { name: 'tracefs-regress', version: toolVersion() };
  // The guest judged its results already; the host judges again so the console's oops can be explained too.
  const entries =
    kernel && !isDebianSpec(kernel.spec) ? plan.expectations.filter((e) => !e.crasher) : plan.expectations;
  const r = nameVmReport(judgeVmReport(reportOf(outcome, tool, qemu.version), entries));
  if (note) r.env.notes = [...(r.env.notes ?? []), note];
  // Debian's kernels have no /proc/config.gz: the guest found no config, the host has the image's own.
  r.env.config ??= imageConfig(kernel);
  if (c) r.matrix = c.cell;
  return r;
}

/**
 * Where `vm --format ktap` streams: stdout, or the --output file, put in
 * place now (its old file kept aside until the end, to come back if a write
 * fails). failed(): the errno of the first write to the file that failed.
 */
function ktapOutput(file: OutputFile | undefined): { sink: ReturnType<typeof fdSink>; failed(): string | undefined } {
  if (!file) return { sink: fdSink(1, stdoutFailed), failed: () => undefined };
  file.publish({ keepOld: true });
  let failed: string | undefined;
  return { sink: fdSink(file.fd, (code) => (failed ??= code)), failed: () => failed };
}

/** Judge, render and write the reports (KTAP went out as it came); the exit code of them all. */
function renderReports(
  boots: KernelBoot[],
  cells: Cell[],
  plan: VmPlan,
  qemu: QemuChoice,
  file: OutputFile | undefined,
  ktapFailed: string | undefined,
): number {
  const reports = boots.map((b, i) => finalReport(b, cells[i], plan, qemu));
  const opts = { color: !plan.output && useColor(process.stdout), describe: describeScenario };
  const text = () =>
    reports.length === 1 ? render(plan.format, reports[0]!, opts) : renderMany(plan.format, reports, opts);
  let lost: string | undefined;
  if (plan.format !== 'ktap') {
    const t = text();
    if (plan.format === 'lkml' && t === '') process.stderr.write(nothingToReport(reports) + '\n');
    lost = writeReport(t, file);
  } else if (file && ktapFailed !== undefined) {
    // The stream to the file failed: the old file is put back, the whole document goes to stdout.
    const left = file.fail();
    writeStdout(text());
    lost = `--output ${file.file}: write failed (${ktapFailed}); ${left}; the report went to stdout instead`;
  } else if (file) {
    lost = writeReport(undefined, file);
  }
  if (reports.length > 1) process.stderr.write('\n' + matrixTable(reports));
  if (lost !== undefined) {
    process.stderr.write(`tracefs-regress: ${lost}\n`);
    return EXIT.usage;
  }
  return combinedExitCode(boots.map((b, i) => exitCodeOf(b.outcome, reports[i])));
}

/**
 * A shard with no cells (more CI jobs than boots): nothing booted, exit 0. Its
 * JSON is a matrix with no runs, so `report merge` takes every job's file alike.
 */
function emptyShard(plan: VmPlan, file: OutputFile | undefined): number {
  const lost = plan.format === 'json' ? writeReport(renderJsonMatrix([]), file) : writeReport(undefined, file);
  if (lost !== undefined) {
    process.stderr.write(`tracefs-regress: ${lost}\n`);
    return EXIT.usage;
  }
  return EXIT.ok;
}

/** The report into its file (or the finished KTAP stream closed); a failure puts it on stdout and says so. */
function writeReport(text: string | undefined, file: OutputFile | undefined): string | undefined {
  if (!file) {
    if (text !== undefined) writeStdout(text);
    return undefined;
  }
  try {
    if (text === undefined) file.finish();
    else file.writeAndClose(text);
    return undefined;
  } catch (e) {
    if (!(e instanceof EnvironmentError)) throw e;
    if (text !== undefined) writeStdout(text);
    return text === undefined ? e.message : `${e.message}; the report went to stdout instead`;
  }
}

/**
 * `vm --exec PATH [ARGS...]`: one kernel, the program instead of the suite.
 * Its stdout and stderr are this process's, as they arrive; vm's own notes
 * (fetching, accelerator) only with --verbose, and what went wrong always.
 */
async function runExec(args: string[], o: VmOpts): Promise<number> {
  const warn = (m: string) => process.stderr.write(`vm: ${m}\n`);
  const say = o.verbose ? warn : () => {};
  const plan = planExecVm(args, o, { cwd: process.cwd(), envPath: process.env.PATH });
  const cov = planCoverage(o);
  const gcov = cov && gcovHook(cov, warn, readGuestBytes);
  return withSetup(plan, o, say, warn, async (setup) => {
    if (o.selfContained) throw noExecWithout9p('--self-contained', 'drop --self-contained');
    const [first] = await setup.kernels();
    const k = await first!.get();
    if (k.vmlinuzOnly)
      throw noExecWithout9p(
        `${k.spec} (${k.release}) has no modules package in the archive (no 9p): it`,
        'pick a release with modules (`kernel list --debian` marks the vmlinuz-only ones)',
      );
    const run: VmRun = { plan, o, qemu: await setup.qemu(), say };
    const accel = await pickAccel(k, run);
    say(`booting ${k.release || k.spec} (${plan.memoryMiB} MiB, ${plan.cpus} CPUs): ${plan.exec.argv.join(' ')}`);
    const out = await bootOnce({
      ...bootBase(k, accel, run),
      log: warn,
      cwd: plan.exec.cwd,
      timeoutMs: plan.timeoutMs,
      keepLog: o.keepLog,
      oopsGraceMs: OOPS_GRACE_MS,
      guestArgv: () => plan.exec.argv,
      onConsole: o.verbose ? (line) => process.stderr.write(`console: ${line}\n`) : undefined,
      mode: 'exec',
      keepPaths: plan.exec.keepPaths,
      stdio: { stdout: (b) => process.stdout.write(b), stderr: (b) => process.stderr.write(b) },
      ...(gcov ? { gcov: gcov.hook } : {}),
    });
    if (out.status !== 'DONE' || o.verbose) sayOutcome(out, warn);
    if (cov) await finishCoverage(cov, gcov!.result(), warn);
    return execExitCode(out);
  });
}

/** `vm --exec` runs a host program by its host path: the guest must see the host's root, which only 9p gives. */
function noExecWithout9p(what: string, fix: string): UsageError {
  return new UsageError(
    `vm --exec: ${what} boots a self-contained guest, without the host's root (docs/vm-boot.md), so it cannot run a host program; ${fix}`,
  );
}

/** The booted image's config (kernels.ts keeps it next to the vmlinuz), as a report quotes it. */
function imageConfig(k: KernelImage | undefined): RunReport['env']['config'] {
  if (!k?.config) return undefined;
  try {
    return reportedConfigFromText(`${k.config} (on the vm host)`, fs.readFileSync(k.config, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Where a custom kernel's modules are staged: under the cache, which the guest can see (not /tmp). */
function stageDir(stages: string[]): string {
  fs.mkdirSync(cacheDirs.runs(), { recursive: true });
  const d = fs.mkdtempSync(path.join(cacheDirs.runs(), 'custom-'));
  stages.push(d);
  return d;
}

function fmt(ms: number | undefined): string {
  return ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
}
