// SPDX-License-Identifier: GPL-2.0-only
// One guest run: build the initramfs, boot QEMU, follow the console, and turn
// what comes back (report or run journal, exit code, console, timeout) into
// one outcome. Each step is its own function: the guest's environment, the
// console watch (watch.ts), QEMU's configuration, reading the evidence,
// the facts for the verdict (outcome.ts's classifyBoot) and what happens to
// the run directory (rundir.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { RunReport } from '../../report/types.js';
import { guestFileProblem, parseExitCode, readGuestFile } from '../guest/file.js';
import { ByteTail } from './stdio.js';
import { describeAccel, type Accel } from '../qemu/accel.js';
import { buildCmdline } from '../qemu/cmdline.js';
import { GUEST_TOKEN_ENV, guestHookEnv, newGuestToken, plantedBootStallMs } from '../guest/token.js';
import { looksOutOfMemory, parseMarkers, scanConsole } from './console.js';
import { GuestWatch } from './watch.js';
import { buildInitramfs, BUSYBOX, type GuestPlan } from '../guest/initramfs.js';
import { ensurePayload } from '../guest/payload.js';
import { ShareSink } from '../guest/relay-host.js';
import { packageRoot } from '../../package.js';
import { classifyBoot, endedAfterFailure, type BootFacts, type BootStatus, type WatchTimes } from './outcome.js';
import { partialRun } from './partial.js';
import { retrying } from '../retry.js';
import { OutputFile } from '../../util/output.js';
import { parseJournal, type JournalRecord } from '../../report/journal.js';
import type { KernelImage } from '../kernels/kernels.js';
import { newRunDir, reapOrphans, retainRunDir, retentionOf } from './rundir.js';
import { TMPFS_IN_GUEST } from './exec.js';
import { guestCodeFromQemu, runQemu, type QemuBin, type QemuConfig, type QemuResult } from '../qemu/qemu.js';

/** What every boot takes, whatever the guest runs. */
export interface BootCommon {
  kernel: KernelImage;
  accel: Accel;
  memoryMiB: number;
  cpus: number;
  timeoutMs: number;
  append?: string;
  /** argv of the guest command, given the share path (where report.json goes). */
  guestArgv: (share: string) => string[];
  cwd: string;
  keepLog?: string;
  /** Print guest console lines as they come (after the kernel hands over to the guest command). */
  onConsole?: (line: string, ms: number) => void;
  /** Host-side notes (where a kept console log is). */
  log?: (m: string) => void;
  /** Keep the run directory (results share, console log) even after a clean run; the caller removes it. */
  keepRunDir?: boolean;
  /** Forward the boot console too (onConsole gets every line, not only the guest command's). */
  verbose?: boolean;
  qemu?: QemuBin;
  /**
   * End the guest this long after the console shows a kernel failure (oops,
   * BUG, KASAN, panic) if it makes no progress (run journal records, result
   * lines); undefined: wait for the guest or --timeout. See OOPS_GRACE_MS.
   */
  oopsGraceMs?: number;
  /**
   * Boot without 9p (docs/vm-boot.md): the guest's root is its initramfs
   * (with the payload: node and the package), and the results share comes
   * back over a virtio console. For a kernel without modules (vmlinuzOnly),
   * or forced (vm --self-contained, a test-facing option).
   */
  selfContained?: boolean;
  /** `vm --coverage`: the guest copies its gcov data to the share's gcov/; called with the share once QEMU has ended. */
  gcov?: (share: string) => void;
}

/**
 * The guest command reports results (the suite, ftracetest, the accelerator
 * probe): they show on the console and in the share; only exit status 0 is a
 * clean end. The default mode.
 */
export interface ResultsMode {
  mode?: 'results';
  /** Matches a console line that is a scenario result: its first arrival is the first-result time. */
  resultLine?: RegExp;
  /** Each run-journal record as it arrives from the guest (vm streams its KTAP from these). */
  onJournal?: (r: JournalRecord) => void;
  /** Subdirectories of the results share created before the boot (e.g. where `run --repro-dir` writes). */
  shareDirs?: string[];
  /** Called with the results share once QEMU has ended, before the run directory may go (copy files out of it). */
  readShare?: (share: string) => void;
}

/**
 * `vm --exec`: a program instead of the suite. Nothing on the console is a
 * result (the program's output has ports of its own), and any exit status of
 * it is a clean end (the program's status is its own).
 */
export interface ExecMode {
  mode: 'exec';
  /**
   * The guest command's stdout and stderr come back on their own serial
   * ports, raw, and go here as they arrive (each chunk also counts as the
   * guest's progress); its stdin is /dev/null.
   */
  stdio: { stdout: (chunk: Buffer) => void; stderr: (chunk: Buffer) => void };
  /** Host directories the program needs that are under /tmp or /run (bound back over the guest's tmpfs). */
  keepPaths?: string[];
}

export type BootOptions = BootCommon & (ResultsMode | ExecMode);

/** How a boot reaches the host, for stderr. */
export function bootPathText(selfContained: boolean): string {
  return selfContained
    ? 'self-contained guest: node and the suite in the initramfs, results over a virtio console (no modules, no 9p)'
    : 'host root and results share over virtio-9p';
}

export type { BootStatus } from './outcome.js';

export interface BootOutcome {
  status: BootStatus;
  kernel: string;
  accelerator: string;
  /** The --timeout this boot had (a TIMEOUT's limit). */
  timeoutMs?: number;
  /** The guest command's exit status, when it came back. */
  guestCode?: number;
  /** The guest's final report, or one built from its run journal when it never wrote that (partial). */
  report?: RunReport;
  /** The report came from the run journal: the guest ended before its final report. */
  partial?: boolean;
  /** The variant that had started and not finished when the guest ended (from the journal). */
  running?: string;
  /** Panic/Oops/BUG/KASAN lines from the console, with their RIP and first Call Trace frames. */
  consoleFailures: string[];
  message?: string;
  serialLog: string;
  /** The run directory (share/ holds what the guest wrote); gone after a clean run unless keepRunDir. */
  runDir: string;
  timings: {
    totalMs: number;
    initUptimeS?: number;
    runStartMs?: number;
    firstResultMs?: number;
    /** First kernel failure line on the console, and when the grace ran out and the host asked QEMU to end. */
    failureMs?: number;
    endedByHostMs?: number;
  };
  interrupted?: NodeJS.Signals;
}

export const DEFAULT_RESULT_LINE = /^\s*(?:(?:not )?ok \d+ |(?:PASS|FAIL|SKIP|UNRES\w*)\b)/;

/** Where a guest running `run --journal` appends its records, inside the results share. */
export const JOURNAL_FILE = 'journal.jsonl';

/** The files of one run, all inside its run directory. */
export interface RunFiles {
  dir: string;
  /** The results share the guest writes into (report, run journal, exit code). */
  share: string;
  serialLog: string;
  initrd: string;
  journal: string;
  pidFile: string;
  /** A self-contained guest's results channel, as QEMU writes it. */
  relayLog: string;
}

/** `vm --exec`: where QEMU writes the guest's ttyS1 and ttyS2 (outside the share: the host's files, not the guest's). */
export function stdioFiles(dir: string): { stdout: string; stderr: string } {
  return { stdout: path.join(dir, 'stdout.log'), stderr: path.join(dir, 'stderr.log') };
}

export function runFiles(dir: string): RunFiles {
  const share = path.join(dir, 'share');
  return {
    dir,
    share,
    serialLog: path.join(dir, 'serial.log'),
    initrd: path.join(dir, 'initramfs.cpio'),
    journal: path.join(share, JOURNAL_FILE),
    pidFile: path.join(dir, 'qemu.pid'),
    relayLog: path.join(dir, 'relay.log'),
  };
}

/**
 * A guest that has not started its command this long after QEMU started is
 * stuck in its boot, not in the kernel under test's code: multi-threaded TCG
 * on a loaded 2-core host once stalled a debian:6.12 guest's timers between
 * /init's first line and its command (RCU stall reports, no progress for
 * 300 s; CI 2026-12-02). Normal boots start the command in 4-10 s here.
 */
export const BOOT_STALL_MS = 120_000;

/** The stall deadline of a boot; a test hook (vm/guest/token.ts plantedBootStallMs) plants a stall in the first boot (test/vm/61). */
export function bootStall(env: NodeJS.ProcessEnv = process.env): { ms: number; planted: boolean } {
  const planted = plantedBootStallMs(env);
  return planted !== undefined ? { ms: planted, planted: true } : { ms: BOOT_STALL_MS, planted: false };
}

/**
 * One boot of the guest; one that stalls before its command (see
 * BOOT_STALL_MS) is booted once more with the time left, and says so. A
 * kernel that hangs in its boot twice is reported as before (TIMEOUT).
 */
export async function bootOnce(o: BootOptions): Promise<BootOutcome> {
  const stall = bootStall();
  const t0 = Date.now();
  const { result } = await retrying(
    (change) =>
      change === 'boot-again-in-time-left'
        ? bootAttempt({ ...o, timeoutMs: o.timeoutMs - (Date.now() - t0) })
        : bootAttempt(o, o.timeoutMs > stall.ms ? stall : undefined),
    (out) => (out === undefined ? 'boot-stall' : undefined),
    () =>
      o.log?.(
        `the guest had not started its command ${stall.ms / 1000} s after QEMU started (a stalled boot); booting it once more`,
      ),
  );
  return result!;
}

/** A boot; undefined when `stall` was given and the guest had not started its command by then (QEMU ended). */
async function bootAttempt(o: BootOptions, stall?: { ms: number; planted: boolean }): Promise<BootOutcome | undefined> {
  for (const k of reapOrphans()) o.log?.(`ended an orphaned qemu left by a killed run: ${k}`);
  const f = runFiles(newRunDir());
  const token = newGuestToken();
  for (const d of (o.mode !== 'exec' && o.shareDirs) || []) fs.mkdirSync(path.join(f.share, d), { recursive: true });
  const accelerator = describeAccel(o.accel);
  const payload = o.selfContained ? await ensurePayload(packageRoot, (m) => o.log?.(m)) : undefined;
  await buildInitramfs(
    { ...guestPlan(o, f.share, accelerator, token), ...(stall?.planted ? { stallForTest: true } : {}) },
    f.initrd,
    BUSYBOX,
    payload?.file,
  );
  const end = new AbortController();
  const watch = watchConsole(o, f, () => end.abort());
  const sink = o.selfContained ? new ShareSink(f.share) : undefined;
  const tails = followStdio(o, f, watch);
  if (sink) tails.push(new ByteTail(f.relayLog, (b) => sink.feed(b)).start());
  let stalled = false;
  const stallTimer = stall
    ? setTimeout(() => {
        if (watch.runStartMs !== undefined) return;
        stalled = true;
        end.abort();
      }, stall.ms)
    : undefined;
  const q = await runQemu(qemuConfig(o, f, token), {
    timeoutMs: o.timeoutMs,
    qemu: o.qemu,
    signal: end.signal,
  }).finally(() => {
    clearTimeout(stallTimer);
    for (const t of tails) t.stop();
    watch.stop();
  });
  if (stalled) {
    retainRunDir(f.dir, 'inspect');
    o.log?.(`stalled boot's console kept: ${f.serialLog}`);
    return undefined;
  }
  const seen = readEvidence(f, q.exitCode, accelerator);
  if (sink) seen.shareProblems = [...(seen.shareProblems ?? []), ...relayProblems(sink)];
  for (const p of seen.shareProblems ?? []) o.log?.(`ignored ${p}`);
  if (o.keepLog) keepLog(f.serialLog, o.keepLog, o.log);
  if (o.mode !== 'exec') o.readShare?.(f.share);
  o.gcov?.(f.share);
  const out = outcomeOf(o, f, accelerator, q, watch, seen);
  keepOrRemove(out, o);
  return out;
}

/** What went wrong on a self-contained guest's results channel (refused frames; no end frame is no problem of its own: the guest may have died). */
function relayProblems(sink: ShareSink): string[] {
  return sink.problems.map((p) => `a frame from the results relay: ${p}`);
}

/** --keep-log: the console log copied through util/output (renamed into place, never through a link); a failure is said, not fatal. */
function keepLog(from: string, to: string, log: ((m: string) => void) | undefined): void {
  try {
    OutputFile.open(to, '--keep-log').copyAndClose(from);
  } catch (e) {
    log?.(`console log not kept: ${(e as Error).message}`);
  }
}

/** Follows the console and the run journal while QEMU runs; asks for QEMU's end when the grace after an oops runs out. */
function watchConsole(o: BootOptions, f: RunFiles, endQemu: () => void): GuestWatch {
  return new GuestWatch({
    serialLog: f.serialLog,
    journal: f.journal,
    graceMs: o.oopsGraceMs,
    ...(o.mode === 'exec' ? {} : { resultLine: o.resultLine ?? DEFAULT_RESULT_LINE, onJournal: o.onJournal }),
    verbose: o.verbose,
    onConsole: o.onConsole,
    onGraceExpired: endQemu,
  }).start();
}

/** `vm --exec`: stream the guest command's stdout and stderr as QEMU writes them. */
function followStdio(o: BootOptions, f: RunFiles, watch: GuestWatch): ByteTail[] {
  if (o.mode !== 'exec') return [];
  const files = stdioFiles(f.dir);
  const to = (sink: (b: Buffer) => void) => (b: Buffer) => {
    watch.noteProgress();
    sink(b);
  };
  return [
    new ByteTail(files.stdout, to(o.stdio.stdout)).start(),
    new ByteTail(files.stderr, to(o.stdio.stderr)).start(),
  ];
}

/** QEMU's configuration for this run: the kernel (with this boot's guest token), our initramfs, the host root and the results share. */
export function qemuConfig(o: BootOptions, f: RunFiles, guestToken: string): QemuConfig {
  return {
    kernel: o.kernel.vmlinuz,
    initrd: f.initrd,
    cmdline: buildCmdline({ append: o.append, guestToken }),
    accel: o.accel,
    memoryMiB: o.memoryMiB,
    cpus: o.cpus,
    serialLog: f.serialLog,
    ...(o.mode === 'exec' ? { stdioLogs: stdioFiles(f.dir) } : {}),
    ...(o.selfContained ? { relayLog: f.relayLog } : { resultsDir: f.share, hostRoot: '/' }),
    pidFile: f.pidFile,
  };
}

/** What the guest left behind once QEMU ended: its console, its exit code and its results. */
export interface Evidence {
  console: string;
  marks: ReturnType<typeof parseMarkers>;
  consoleFailures: string[];
  guestCode?: number;
  report?: RunReport;
  partial?: boolean;
  running?: string;
  /** Files of the share the host reads back that it refused: a link, FIFO or device, or an exit-code that is no number. */
  shareProblems?: string[];
}

/** The files of the results share the host reads back (all through readGuestFile). */
export const SHARE_READS = ['exit-code', 'report.json', JOURNAL_FILE] as const;

function readEvidence(f: RunFiles, qemuExit: number | undefined, accelerator: string): Evidence {
  const text = readText(f.serialLog);
  const marks = parseMarkers(text);
  const exit = readExitCode(path.join(f.share, 'exit-code'));
  const shareProblems = SHARE_READS.flatMap((n) => {
    const kind = n === 'exit-code' ? exit.problem : guestFileProblem(path.join(f.share, n));
    return kind ? [`${n} in the results share: ${kind}`] : [];
  });
  const guestCode = exit.code ?? marks.exit ?? guestCodeFromQemu(qemuExit);
  return {
    console: text,
    marks,
    consoleFailures: scanConsole(text),
    guestCode,
    shareProblems,
    ...readResults(f.share, accelerator),
  };
}

/** The facts the classifier judges, from the options, QEMU's result, the watch and the evidence. */
export function bootFacts(
  o: BootOptions,
  accelerator: string,
  q: QemuResult,
  watch: WatchTimes,
  seen: Evidence,
): BootFacts {
  return {
    accelerator,
    timeoutMs: o.timeoutMs,
    memoryMiB: o.memoryMiB,
    interrupted: q.interrupted,
    timedOut: q.timedOut,
    endedAfterFailure: endedAfterFailure(watch, o.oopsGraceMs, q.durationMs),
    consoleFailures: seen.consoleFailures,
    running: seen.running,
    setupError: seen.marks.error,
    guestCode: seen.guestCode,
    outOfMemory: looksOutOfMemory(seen.console),
    qemuExit: q.exitCode,
    qemuStderr: q.stderr,
    shareProblems: seen.shareProblems,
  };
}

function outcomeOf(
  o: BootOptions,
  f: RunFiles,
  accelerator: string,
  q: QemuResult,
  watch: WatchTimes,
  seen: Evidence,
): BootOutcome {
  return {
    ...classifyBoot(bootFacts(o, accelerator, q, watch, seen)),
    kernel: o.kernel.release || o.kernel.spec,
    accelerator,
    timeoutMs: o.timeoutMs,
    guestCode: seen.guestCode,
    report: seen.report,
    ...(seen.partial ? { partial: seen.partial } : {}),
    ...(seen.running ? { running: seen.running } : {}),
    consoleFailures: seen.consoleFailures,
    serialLog: o.keepLog ?? f.serialLog,
    runDir: f.dir,
    timings: {
      totalMs: q.durationMs,
      initUptimeS: seen.marks.initUptime,
      runStartMs: watch.runStartMs,
      firstResultMs: watch.firstResultMs,
      failureMs: watch.failureMs,
      endedByHostMs: watch.expiredMs,
    },
    interrupted: q.interrupted,
  };
}

/** The guest's final report; failing that, the one its run journal gives, and what was running. */
function readResults(share: string, accelerator: string): { report?: RunReport; partial?: boolean; running?: string } {
  const full = readReport(path.join(share, 'report.json'), accelerator);
  if (full) return { report: full };
  const j = partialRun(parseJournal(readText(path.join(share, JOURNAL_FILE))), { accelerator, endedMs: Date.now() });
  return { report: j.report, partial: j.report !== undefined, running: j.running };
}

/** The environment the guest command runs with: a fixed PATH and locale, no colour, and who it is (with the boot's token). */
export function guestEnv(accelerator: string, guestToken: string, share?: string): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/root',
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    TRACEFS_REGRESS_ACCEL: accelerator,
    TRACEFS_REGRESS_GUEST: '1',
    // The same token as on the kernel's command line: what test hooks check before they crash the guest.
    [GUEST_TOKEN_ENV]: guestToken,
    // Where the guest command may leave files for the host (vm --exec programs).
    ...(share ? { TRACEFS_REGRESS_SHARE: share } : {}),
    // The guest-only test hooks the host's environment asks for (vm/guest/token.ts).
    ...guestHookEnv(),
  };
}

/** What the guest's /init runs, and with which environment; it powers off 30 s after the host's timeout. */
export function guestPlan(o: BootOptions, share: string, accelerator: string, guestToken: string): GuestPlan {
  return {
    modules: o.kernel.modules,
    moduleDir: o.kernel.moduleDir,
    sharePath: share,
    cwd: o.cwd,
    argv: o.guestArgv(share),
    env: guestEnv(accelerator, guestToken, share),
    watchdogS: o.timeoutMs / 1000 + 30,
    ...(o.mode === 'exec' ? { stdio: true } : {}),
    ...(o.gcov ? { gcov: true } : {}),
    ...keepPathsOf(o.mode === 'exec' ? o.keepPaths : undefined, share),
    ...(o.selfContained
      ? {
          relay: { node: process.execPath, script: path.join(packageRoot, 'dist', 'vm', 'guest', 'relay.js') },
          ...(o.mode !== 'exec' && o.shareDirs?.length ? { shareDirs: o.shareDirs } : {}),
        }
      : {}),
  };
}

/**
 * The results share is bound back when the cache is under /tmp or /run
 * (XDG_CACHE_HOME or HOME there, as for a throwaway user): the guest's tmpfs
 * would hide it, and the guest could not report back.
 */
function keepPathsOf(keep: string[] = [], share: string): { keepPaths?: string[] } {
  const all = TMPFS_IN_GUEST.some((d) => share.startsWith(`${d}/`)) ? [...keep, share] : keep;
  return all.length ? { keepPaths: all } : {};
}

/** Keep the run directory (console log, share) only when something needs looking at. */
function keepOrRemove(out: BootOutcome, o: BootOptions): void {
  const r = retentionOf({
    clean: out.status === 'DONE' && (out.guestCode === 0 || (o.mode === 'exec' && out.guestCode !== undefined)),
    callerKeeps: !!o.keepRunDir,
  });
  retainRunDir(out.runDir, r);
  if (r === 'remove' && !o.keepLog) out.serialLog = '';
  if (r === 'inspect') o.log?.(`run directory kept for inspection: ${out.runDir}`);
}

function readText(file: string): string {
  return readGuestFile(file) ?? '';
}

/** The guest command's exit status from the share's exit-code file, or why the file was refused. */
export function readExitCode(file: string): { code?: number; problem?: string } {
  const kind = guestFileProblem(file);
  if (kind) return { problem: kind };
  const text = readGuestFile(file);
  if (text === undefined) return {};
  const code = parseExitCode(text);
  return code === undefined
    ? { problem: `holds ${JSON.stringify(text.slice(0, 40))}, not an exit status 0-255` }
    : { code };
}

function readReport(file: string, accelerator: string): RunReport | undefined {
  try {
    const r = JSON.parse(readGuestFile(file) ?? '') as RunReport;
    if (r && r.env && !r.env.accelerator) r.env.accelerator = accelerator;
    return r;
  } catch {
    return undefined;
  }
}
