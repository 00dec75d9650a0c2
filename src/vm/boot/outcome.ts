// SPDX-License-Identifier: GPL-2.0-only
// What one boot came to, from the facts the host gathered: pure, so every
// branch is tested without booting anything.
import { INT3_OOPS } from '../../health/splat.js';

export type BootStatus = 'DONE' | 'TIMEOUT' | 'INTERRUPTED' | 'KERNEL_FAILURE' | 'GUEST_SETUP' | 'NO_RESULT';

export interface BootFacts {
  accelerator: string;
  timeoutMs: number;
  memoryMiB: number;
  /** SIGINT/SIGTERM of this process stopped the run. */
  interrupted?: NodeJS.Signals;
  timedOut: boolean;
  /** The host ended the guest: it showed a kernel failure and then made no progress for graceMs; endedMs: QEMU's exit. */
  endedAfterFailure?: { graceMs: number; failureMs: number; endedMs: number };
  consoleFailures: string[];
  /** The variant that had started and not finished, from the run journal. */
  running?: string;
  /** TFSR-GUEST-ERROR: the guest's own setup failed. */
  setupError?: string;
  guestCode?: number;
  outOfMemory: boolean;
  qemuExit?: number;
  qemuStderr: string;
  /** Files of the results share the host refused (a link, FIFO or device; an exit-code that is no number). */
  shareProblems?: string[];
}

/** When the console watch saw a failure line and when the grace after it ran out (ms since QEMU started). */
export interface WatchTimes {
  runStartMs?: number;
  firstResultMs?: number;
  failureMs?: number;
  expiredMs?: number;
}

/** The host ended the guest after a kernel failure: both watch times set and a grace given; undefined otherwise. */
export function endedAfterFailure(
  w: WatchTimes,
  graceMs: number | undefined,
  endedMs: number,
): BootFacts['endedAfterFailure'] {
  if (w.expiredMs === undefined || w.failureMs === undefined || graceMs === undefined) return undefined;
  return { graceMs, failureMs: w.failureMs, endedMs };
}

const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** Status and message, most telling first: a signal, the host ending a failed guest, a timeout, a kernel failure, setup, no result. */
export function classifyBoot(f: BootFacts): { status: BootStatus; message?: string } {
  if (f.interrupted) return { status: 'INTERRUPTED', message: `stopped by ${f.interrupted}; qemu killed` };
  const during = f.running ? ` during ${f.running}` : '';
  if (f.endedAfterFailure) {
    const e = f.endedAfterFailure;
    return {
      status: 'KERNEL_FAILURE',
      message:
        `the guest kernel reported a failure on the console${during} at ${s(e.failureMs)} and the guest made no progress ` +
        `for ${s(e.graceMs)}: qemu ended at ${s(e.endedMs)} (${f.accelerator})`,
    };
  }
  if (f.timedOut)
    return {
      status: 'TIMEOUT',
      message: `TIMEOUT: the guest did not finish within ${f.timeoutMs / 1000} s${during}; qemu killed`,
    };
  if (f.consoleFailures.length)
    return {
      status: 'KERNEL_FAILURE',
      message: `the guest kernel reported a failure on the console${during} (${f.accelerator})`,
    };
  if (f.setupError) return { status: 'GUEST_SETUP', message: `guest setup failed: ${f.setupError}` };
  if (f.guestCode === undefined) {
    if (f.outOfMemory)
      return { status: 'GUEST_SETUP', message: `the guest ran out of memory with ${f.memoryMiB} MiB; raise --memory` };
    const why = f.qemuStderr.trim() ? `: ${f.qemuStderr.trim().split('\n').pop()}` : '';
    const refused = f.shareProblems?.length ? `; refused ${f.shareProblems.join('; ')}` : '';
    return {
      status: 'NO_RESULT',
      message: `the guest ended without reporting back${during} (qemu exit ${f.qemuExit}${why})${refused}`,
    };
  }
  return { status: 'DONE' };
}

/**
 * The one console failure vm treats as the emulator's, not the kernel's: an
 * `Oops: int3` as the FIRST failure of a guest under multi-threaded TCG. QEMU
 * (7.2, and 10.0.2 too: 1 of 5 Debian 6.18 boots, in __schedule while node
 * started, before any scenario ran) sometimes runs a stale translation of
 * code the kernel has just patched with text_poke_bp, so a vCPU executes the
 * patch's transient int3. Returns that line, or undefined for anything else.
 */
export function emulatorInt3(accelerator: string, consoleFailures: readonly string[]): string | undefined {
  const first = consoleFailures[0];
  return accelerator === 'tcg thread=multi' && first !== undefined && INT3_OOPS.test(first) ? first : undefined;
}
