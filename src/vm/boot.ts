// One guest run: build the initramfs, boot QEMU, follow the console, and turn
// what comes back (report or run journal, exit code, console, timeout) into
// one outcome. The watching is guest-watch.ts's, the verdict outcome.ts's.
import fs from 'node:fs';
import path from 'node:path';
import type { RunReport } from '../report/types.js';
import { describeAccel, type Accel } from './accel.js';
import { buildCmdline } from './cmdline.js';
import { looksOutOfMemory, parseMarkers, scanConsole } from './console.js';
import { GuestWatch } from './guest-watch.js';
import { buildInitramfs, type GuestPlan } from './initramfs.js';
import { classifyBoot, type BootStatus } from './outcome.js';
import { partialRun } from './partial.js';
import { parseJournal } from '../report/journal.js';
import type { KernelImage } from './kernels.js';
import { newRunDir, reapOrphans } from './rundir.js';
import { guestCodeFromQemu, runQemu, type QemuBin } from './qemu.js';

export interface BootOptions {
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
  /** Matches a console line that is a scenario result: its first arrival is the first-result time. */
  resultLine?: RegExp;
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
}

export type { BootStatus } from './outcome.js';

export interface BootOutcome {
  status: BootStatus;
  kernel: string;
  accelerator: string;
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

export async function bootOnce(o: BootOptions): Promise<BootOutcome> {
  for (const k of reapOrphans()) o.log?.(`ended an orphaned qemu left by a killed run: ${k}`);
  const dir = newRunDir();
  const share = path.join(dir, 'share');
  const serialLog = path.join(dir, 'serial.log');
  const accelerator = describeAccel(o.accel);
  await buildInitramfs(guestPlan(o, share, accelerator), path.join(dir, 'initramfs.cpio'));
  const end = new AbortController();
  const watch = new GuestWatch({
    serialLog,
    journal: path.join(share, JOURNAL_FILE),
    graceMs: o.oopsGraceMs,
    resultLine: o.resultLine ?? DEFAULT_RESULT_LINE,
    verbose: o.verbose,
    onConsole: o.onConsole,
    onGraceExpired: () => end.abort(),
  }).start();
  const q = await runQemu(
    {
      kernel: o.kernel.vmlinuz,
      initrd: path.join(dir, 'initramfs.cpio'),
      cmdline: buildCmdline({ append: o.append }),
      accel: o.accel,
      memoryMiB: o.memoryMiB,
      cpus: o.cpus,
      serialLog,
      resultsDir: share,
      hostRoot: '/',
      pidFile: path.join(dir, 'qemu.pid'),
    },
    { timeoutMs: o.timeoutMs, qemu: o.qemu, signal: end.signal },
  ).finally(() => watch.stop());

  const text = readText(serialLog);
  const marks = parseMarkers(text);
  const consoleFailures = scanConsole(text);
  const guestCode = readInt(path.join(share, 'exit-code')) ?? marks.exit ?? guestCodeFromQemu(q.exitCode);
  const { report, partial, running } = readResults(share, accelerator);
  if (o.keepLog) fs.copyFileSync(serialLog, o.keepLog);

  const endedAfterFailure =
    watch.expiredMs !== undefined && watch.failureMs !== undefined && o.oopsGraceMs !== undefined
      ? { graceMs: o.oopsGraceMs, failureMs: watch.failureMs, endedMs: q.durationMs }
      : undefined;
  const verdict = classifyBoot({
    accelerator,
    timeoutMs: o.timeoutMs,
    memoryMiB: o.memoryMiB,
    interrupted: q.interrupted,
    timedOut: q.timedOut,
    endedAfterFailure,
    consoleFailures,
    running,
    setupError: marks.error,
    guestCode,
    outOfMemory: looksOutOfMemory(text),
    qemuExit: q.exitCode,
    qemuStderr: q.stderr,
  });
  const out: BootOutcome = {
    ...verdict,
    kernel: o.kernel.release || o.kernel.spec,
    accelerator,
    guestCode,
    report,
    ...(partial ? { partial } : {}),
    ...(running ? { running } : {}),
    consoleFailures,
    serialLog: o.keepLog ?? serialLog,
    runDir: dir,
    timings: {
      totalMs: q.durationMs,
      initUptimeS: marks.initUptime,
      runStartMs: watch.runStartMs,
      firstResultMs: watch.firstResultMs,
      failureMs: watch.failureMs,
      endedByHostMs: watch.expiredMs,
    },
    interrupted: q.interrupted,
  };
  retainRunDir(out, o);
  return out;
}

/** The guest's final report; failing that, the one its run journal gives, and what was running. */
function readResults(share: string, accelerator: string): { report?: RunReport; partial?: boolean; running?: string } {
  const full = readReport(path.join(share, 'report.json'), accelerator);
  if (full) return { report: full };
  const j = partialRun(parseJournal(readText(path.join(share, JOURNAL_FILE))), { accelerator, endedMs: Date.now() });
  return { report: j.report, partial: j.report !== undefined, running: j.running };
}

/** What the guest's /init runs, and with which environment. */
function guestPlan(o: BootOptions, share: string, accelerator: string): GuestPlan {
  return {
    modules: o.kernel.modules,
    moduleDir: o.kernel.moduleDir,
    sharePath: share,
    cwd: o.cwd,
    argv: o.guestArgv(share),
    env: {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: '/root',
      LANG: 'C.UTF-8',
      TERM: 'dumb',
      NO_COLOR: '1',
      TRACEFS_REGRESS_ACCEL: accelerator,
      TRACEFS_REGRESS_GUEST: '1',
    },
    watchdogS: o.timeoutMs / 1000 + 30,
  };
}

/** Keep the run directory (console log, share) only when something needs looking at. */
function retainRunDir(out: BootOutcome, o: BootOptions): void {
  if (o.keepRunDir) return; // the caller reads the share and removes it
  if (out.status === 'DONE' && out.guestCode === 0) {
    fs.rmSync(out.runDir, { recursive: true, force: true });
    if (!o.keepLog) out.serialLog = '';
  } else {
    fs.rmSync(path.join(out.runDir, 'initramfs.cpio'), { force: true });
    o.log?.(`run directory kept for inspection: ${out.runDir}`);
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function readInt(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function readReport(file: string, accelerator: string): RunReport | undefined {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as RunReport;
    if (r && r.env && !r.env.accelerator) r.env.accelerator = accelerator;
    return r;
  } catch {
    return undefined;
  }
}
