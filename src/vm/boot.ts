// One guest run: build the initramfs, boot QEMU, follow the console, and turn
// what comes back (report, exit code, console, timeout) into one outcome.
import fs from 'node:fs';
import path from 'node:path';
import type { RunReport } from '../report/types.js';
import { describeAccel, type Accel } from './accel.js';
import { buildCmdline } from './cmdline.js';
import { ConsoleTail, looksOutOfMemory, parseMarkers, scanConsole } from './console.js';
import { buildInitramfs, MARK, type GuestPlan } from './initramfs.js';
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
}

export type BootStatus = 'DONE' | 'TIMEOUT' | 'INTERRUPTED' | 'KERNEL_FAILURE' | 'GUEST_SETUP' | 'NO_RESULT';

export interface BootOutcome {
  status: BootStatus;
  kernel: string;
  accelerator: string;
  /** The guest command's exit status, when it came back. */
  guestCode?: number;
  report?: RunReport;
  /** Panic/Oops/BUG/KASAN lines from the console. */
  consoleFailures: string[];
  message?: string;
  serialLog: string;
  /** The run directory (share/ holds what the guest wrote); gone after a clean run unless keepRunDir. */
  runDir: string;
  timings: { totalMs: number; initUptimeS?: number; runStartMs?: number; firstResultMs?: number };
  interrupted?: NodeJS.Signals;
}

export const DEFAULT_RESULT_LINE = /^\s*(?:(?:not )?ok \d+ |(?:PASS|FAIL|SKIP|UNRES\w*)\b)/;

export async function bootOnce(o: BootOptions): Promise<BootOutcome> {
  for (const k of reapOrphans()) o.log?.(`ended an orphaned qemu left by a killed run: ${k}`);
  const dir = newRunDir();
  const share = path.join(dir, 'share');
  const serialLog = path.join(dir, 'serial.log');
  const accelerator = describeAccel(o.accel);
  const plan: GuestPlan = {
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
  await buildInitramfs(plan, path.join(dir, 'initramfs.cpio'));
  let running = false;
  let runStartMs: number | undefined;
  let firstResultMs: number | undefined;
  const resultRe = o.resultLine ?? DEFAULT_RESULT_LINE;
  const tail = new ConsoleTail(serialLog, (line, ms) => {
    if (line.includes(MARK.run)) {
      running = true;
      runStartMs ??= ms;
      return;
    }
    if (!running) {
      if (o.verbose) o.onConsole?.(line, ms);
      return;
    }
    if (line.startsWith(MARK.exit)) return;
    // The guest's output may carry colour codes; results are recognised without them.
    if (firstResultMs === undefined && resultRe.test(line.replace(/\x1b\[[0-9;]*m/g, ''))) firstResultMs = ms;
    o.onConsole?.(line, ms);
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
    { timeoutMs: o.timeoutMs, qemu: o.qemu },
  ).finally(() => tail.stop());

  const text = fs.existsSync(serialLog) ? fs.readFileSync(serialLog, 'utf8') : '';
  const marks = parseMarkers(text);
  const consoleFailures = scanConsole(text);
  const fromFile = readInt(path.join(share, 'exit-code'));
  const guestCode = fromFile ?? marks.exit ?? guestCodeFromQemu(q.exitCode);
  const report = readReport(path.join(share, 'report.json'), accelerator);
  if (o.keepLog) fs.copyFileSync(serialLog, o.keepLog);

  const out: BootOutcome = {
    status: 'DONE',
    kernel: o.kernel.release || o.kernel.spec,
    accelerator,
    guestCode,
    report,
    consoleFailures,
    serialLog: o.keepLog ?? serialLog,
    runDir: dir,
    timings: { totalMs: q.durationMs, initUptimeS: marks.initUptime, runStartMs, firstResultMs },
    interrupted: q.interrupted,
  };
  if (q.interrupted) Object.assign(out, { status: 'INTERRUPTED', message: `stopped by ${q.interrupted}; qemu killed` });
  else if (q.timedOut) Object.assign(out, { status: 'TIMEOUT', message: `TIMEOUT: the guest did not finish within ${o.timeoutMs / 1000} s; qemu killed` });
  else if (consoleFailures.length) Object.assign(out, { status: 'KERNEL_FAILURE', message: `the guest kernel reported a failure on the console (${accelerator})` });
  else if (marks.error) Object.assign(out, { status: 'GUEST_SETUP', message: `guest setup failed: ${marks.error}` });
  else if (guestCode === undefined) {
    const oom = looksOutOfMemory(text);
    Object.assign(out, {
      status: oom ? 'GUEST_SETUP' : 'NO_RESULT',
      message: oom
        ? `the guest ran out of memory with ${o.memoryMiB} MiB; raise --memory`
        : `the guest ended without reporting back (qemu exit ${q.exitCode}${q.stderr ? `: ${q.stderr.trim().split('\n').pop()}` : ''})`,
    });
  }
  // Keep the run directory (console log, initramfs) only when something needs looking at.
  if (o.keepRunDir) {
    /* the caller reads the share and removes dir */
  } else if (out.status === 'DONE' && guestCode === 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    if (!o.keepLog) out.serialLog = '';
  } else {
    fs.rmSync(path.join(dir, 'initramfs.cpio'), { force: true });
    o.log?.(`run directory kept for inspection: ${dir}`);
  }
  return out;
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
