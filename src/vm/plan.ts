// SPDX-License-Identifier: GPL-2.0-only
// The `vm` command's input, all of it checked before anything is fetched or
// booted: the report format and path, the --expect files, the guest's size,
// the timeout, the TCG mode and the kernels. Bad input is a UsageError.
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../errors.js';
import type { ExpectEntry } from '../expectations/types.js';
import { packageRoot } from '../package.js';
import { FORMATS, isFormat, type Format } from '../report/index.js';
import { CATALOGUE } from '../scenarios/catalogue.js';
import { checkOutputWritable, checkTarget, refuseSharedTargets } from '../util/output.js';
import { parseTcg, type TcgThread } from './qemu/accel.js';
import { planExec, type ExecHost, type ExecProgram } from './boot/exec.js';
import { selectScenarios } from '../runner/select.js';
import { guestExpectArgs, loadForVm } from './expectations.js';
import { namesOneKernel, parseDebianSpec } from './kernels/debian-spec.js';
import { parseVmTimeout, type VmOpts } from './options.js';
import { parseCpus, parseMemory } from './qemu/qemu.js';
import { parseBoots, parseShard, type Shard } from './matrix/cells.js';
import { checkReproDir } from './repro.js';
import { parseGuestRun, renderGuestRun, type GuestRun, type RunGrammar } from './run-args.js';

export const MATRIX_DEBIAN = ['debian:6.1', 'debian:6.12', 'debian:6.18', 'debian:latest'];

export const isDebianSpec = (spec: string): boolean => spec.startsWith('debian:');

/** What a `vm` run will do, from the checked input. */
export interface VmPlan {
  /** `run`'s arguments for the guest, --expect files as absolute paths. */
  guestArgs: string[];
  /** How the host renders the reports (the guest always writes JSON), and where. */
  format: Format;
  output?: string;
  expectations: ExpectEntry[];
  memoryMiB: number;
  cpus: number;
  timeoutMs: number;
  tcg?: TcgThread;
  specs: string[];
  /** The CLI the guest runs: this package's bin/tracefs-regress.js. */
  entry: string;
  /** --repro-dir: the host directory (absolute, created) the guest's reproducers are copied to. */
  reproDir?: string;
  /** --boots N: each kernel is booted N times (1 by default). */
  boots: number;
  /** --shard i/n: this job boots only its share of the kernel x boot cells. */
  shard?: Shard;
}

/** Every option checked, in the order the user reads them; throws on the first bad one. */
export function planVm(runArgs: string[], o: VmOpts, grammar: RunGrammar): VmPlan {
  const run = parseGuestRun(runArgs, grammar);
  // --repro-dir after -- means the same as before it (the guest cannot write a host path).
  const after = takeOpt(run, 'reproDir');
  if (after === '') throw new UsageError('--repro-dir needs a directory');
  if (o.reproDir !== undefined && after !== undefined && after !== o.reproDir)
    throw new UsageError(`--repro-dir given twice (${o.reproDir} before --, ${after} after): give one directory`);
  const guest = planGuestRun(run, grammar);
  checkKeepLog(o, guest.output);
  const machine = planMachine(o);
  const dir = o.reproDir ?? after;
  if (dir !== undefined && o.fetchOnly) throw new UsageError('--fetch-only boots nothing: drop --repro-dir');
  const entry = guestEntry();
  // Checked (and created) last: bad input elsewhere leaves nothing behind.
  const reproDir = dir === undefined ? undefined : checkReproDir(dir);
  return { ...guest, ...machine, entry, ...(reproDir ? { reproDir } : {}) };
}

/** The machine options both plans share, in the order the user reads them. */
function planMachine(
  o: VmOpts,
): Pick<VmPlan, 'memoryMiB' | 'cpus' | 'timeoutMs' | 'tcg' | 'specs' | 'boots' | 'shard'> {
  const memoryMiB = parseMemory(o.memory);
  const cpus = parseCpus(o.cpus);
  const timeoutMs = parseVmTimeout(o.timeout);
  const specs = kernelSpecs(o);
  const boots = parseBoots(o.boots);
  const shard = parseShard(o.shard);
  return { memoryMiB, cpus, timeoutMs, tcg: parseTcg(o.tcg), specs, boots, ...(shard ? { shard } : {}) };
}

/**
 * `vm --exec PATH [ARGS...]`: the positional arguments are the program's, not
 * `run`'s. One kernel (the program's exit status is vm's), no report options.
 */
export function planExecVm(args: string[], o: VmOpts, host: ExecHost): VmPlan & { exec: ExecProgram } {
  if (o.matrix) throw new UsageError('--exec runs one kernel: drop --matrix and give one --kernel');
  if (o.kernel.length > 1) throw new UsageError('--exec runs one kernel: give --kernel once');
  const many = o.kernel.find((k) => !namesOneKernel(k));
  if (many) throw new UsageError(`--exec runs one kernel: ${many} names several; give one release or series`);
  if (o.fetchOnly) throw new UsageError('--exec boots the kernel: drop --fetch-only');
  if (o.boots !== undefined || o.shard !== undefined)
    throw new UsageError('--exec boots one kernel once: drop --boots and --shard');
  if (o.reproDir !== undefined)
    throw new UsageError('--repro-dir goes with the suite, not --exec: the program writes its own files');
  checkKeepLog(o, undefined);
  const exec = planExec(o.exec, args, host);
  return { guestArgs: [], format: 'pretty', expectations: [], ...planMachine(o), entry: exec.path, exec };
}

/**
 * The guest's `run` arguments (after --): the report options are the host's
 * (the guest always writes JSON), the --expect files are checked here and
 * handed over as absolute paths, the selection is checked before anything boots.
 */
function planGuestRun(
  run: GuestRun,
  grammar: RunGrammar,
): Pick<VmPlan, 'guestArgs' | 'format' | 'output' | 'expectations'> {
  const format = takeOpt(run, 'format') ?? 'pretty';
  const output = takeOpt(run, 'output');
  const expectFiles = (run.opts.expect as string[] | undefined) ?? [];
  if (expectFiles.includes('')) throw new UsageError('--expect needs a file, e.g. --expect kernel/known-bugs.json');
  if (run.opts.ignoreSkips === true && expectFiles.length === 0)
    throw new UsageError('--ignore-skips goes with --expect FILE');
  const loaded = loadForVm(
    expectFiles,
    CATALOGUE.map((s) => s.id),
  );
  // Asked to ignore the known crashers, the host judges without them too.
  const expectations = run.opts.ignoreKnownCrashers === true ? loaded.filter((e) => !e.crasher) : loaded;
  // A typo in the selection fails here, before anything is fetched or booted.
  selectScenarios(CATALOGUE, strings(run.opts.scenario), strings(run.opts.exclude));
  if (expectFiles.length) run.opts.expect = pairs(guestExpectArgs(expectFiles, packageRoot));
  const guestArgs = renderGuestRun(run, grammar);
  if (!isFormat(format)) throw new UsageError(`--format '${format}' is not one of ${FORMATS.join(', ')}`);
  // -o - is stdout, as for run.
  const out = output === '-' ? undefined : output;
  if (out) checkOutputWritable(out);
  return { guestArgs, format, output: out, expectations };
}

/** An option's value taken out of the guest's run (the host's to act on). */
function takeOpt(run: GuestRun, key: string): string | undefined {
  const v = run.opts[key];
  delete run.opts[key];
  return typeof v === 'string' ? v : undefined;
}

const strings = (v: GuestRun['opts'][string] | undefined): string[] => (Array.isArray(v) ? v : []);

/** The values of `--expect ABS` pairs. */
const pairs = (args: string[]): string[] => args.filter((_, i) => i % 2 === 1);

/** --keep-log is an output like --output (util/output): checked now, and never the report's file. */
function checkKeepLog(o: VmOpts, output: string | undefined): void {
  if (o.keepLog === undefined) return;
  const log = checkTarget(o.keepLog, '--keep-log');
  checkOutputWritable(o.keepLog, '--keep-log');
  refuseSharedTargets([output ? checkTarget(output, '--output') : undefined, log]);
}

/** The kernels to boot: --matrix, the --kernel list, or debian:6.12. */
export function kernelSpecs(o: Pick<VmOpts, 'kernel' | 'matrix' | 'modules'>): string[] {
  if (o.matrix && o.kernel.length) throw new UsageError('use either --matrix or --kernel, not both');
  const specs = o.matrix ? MATRIX_DEBIAN : o.kernel.length ? o.kernel : ['debian:6.12'];
  for (const s of specs) parseDebianSpec(s);
  if (o.modules && specs.some(isDebianSpec)) throw new UsageError('--modules goes with a custom --kernel PATH only');
  return specs;
}

/** The guest runs this package's CLI from dist/, over the read-only host root. */
function guestEntry(): string {
  const entry = path.join(packageRoot, 'bin', 'tracefs-regress.js');
  if (!fs.existsSync(path.join(packageRoot, 'dist', 'cli', 'main.js'))) {
    throw new EnvironmentError(`the guest runs ${entry}, which needs dist/: run \`npm run build\` first`);
  }
  return entry;
}
