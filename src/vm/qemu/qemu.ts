// SPDX-License-Identifier: GPL-2.0-only
// QEMU's command line and a runner that never leaves a qemu process behind:
// killed on --timeout, on SIGINT/SIGTERM of this process, and (through
// setpriv --pdeathsig) even when this process itself is killed outright.
import fs from 'node:fs';
import { execa } from 'execa';
import { STOP_SIGNALS, UsageError } from '../../errors.js';
import { accelArgs, type Accel } from './accel.js';
import { interruptScope } from '../../util/interrupt.js';

/** TRACEFS_REGRESS_QEMU picks another QEMU build (e.g. a newer one unpacked privately). */
export function qemuBinary(): string {
  return process.env.TRACEFS_REGRESS_QEMU || 'qemu-system-x86_64';
}

/** A QEMU to run: the binary, and the data dirs (-L: BIOS, option ROMs) an unpacked one needs. */
export interface QemuBin {
  bin: string;
  dataDirs: string[];
}

export interface QemuConfig {
  kernel: string;
  initrd: string;
  cmdline: string;
  accel: Accel;
  memoryMiB: number;
  cpus: number;
  serialLog: string;
  /** `vm --exec`: the guest's ttyS1 and ttyS2 (the program's stdout and stderr) go to these files. */
  stdioLogs?: { stdout: string; stderr: string };
  /** Writable share mounted by the guest (mount_tag results); the host root is shared read-only as hostroot. */
  resultsDir?: string;
  hostRoot?: string;
  /** A self-contained guest's results channel: its virtconsole (hvc0) goes to this file (relay-host.ts reads it). */
  relayLog?: string;
  /** QEMU writes its pid here, so a later run can end a qemu whose runner was killed outright. */
  pidFile?: string;
  /** -L dirs, searched in this order for firmware (a QEMU unpacked outside /usr has no compiled-in path to them). */
  dataDirs?: string[];
}

/** Smallest guest that boots the Debian kernels and runs node with the suite (measured: 512M works). */
export const MIN_MEMORY_MIB = 512;

/** "2G", "1536M", "2048" (MiB) -> MiB. */
export function parseMemory(v: string): number {
  const m = /^(\d+(?:\.\d+)?)([MG]i?B?)?$/i.exec(v.trim());
  if (!m) throw new UsageError(`--memory ${v}: use a size such as 2G or 1536M`);
  const mib = Math.round(Number(m[1]) * (m[2]?.[0]?.toUpperCase() === 'G' ? 1024 : 1));
  if (mib < MIN_MEMORY_MIB) {
    throw new UsageError(
      `--memory ${v} is too small to boot the guest and run node; use at least ${MIN_MEMORY_MIB}M (default 2G)`,
    );
  }
  return mib;
}

export function parseCpus(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--cpus ${v}: use a whole number from 1 to 64`);
  return n;
}

export function qemuArgs(c: QemuConfig): string[] {
  const fs9p = (o: string) => ['-virtfs', o];
  return [
    ...(c.dataDirs ?? []).flatMap((d) => ['-L', d]),
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-monitor',
    'none',
    '-nic',
    'none',
    '-machine',
    'pc',
    ...accelArgs(c.accel),
    '-smp',
    String(c.cpus),
    '-m',
    `${c.memoryMiB}M`,
    '-no-reboot',
    '-kernel',
    c.kernel,
    '-initrd',
    c.initrd,
    '-append',
    c.cmdline,
    // A file, not stdio: -nographic output carries SeaBIOS escape sequences.
    '-serial',
    `file:${c.serialLog}`,
    ...(c.stdioLogs ? ['-serial', `file:${c.stdioLogs.stdout}`, '-serial', `file:${c.stdioLogs.stderr}`] : []),
    '-device',
    'isa-debug-exit,iobase=0xf4,iosize=4',
    ...(c.relayLog
      ? [
          '-device',
          'virtio-serial-pci,id=tfsrser',
          '-chardev',
          `file,id=tfsrrelay,path=${c.relayLog}`,
          '-device',
          'virtconsole,chardev=tfsrrelay,bus=tfsrser.0',
        ]
      : []),
    ...(c.pidFile ? ['-pidfile', c.pidFile] : []),
    ...(c.hostRoot
      ? fs9p(`local,path=${c.hostRoot},mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap`)
      : []),
    // The one writable share: mapped-xattr keeps the guest's owners, modes and device nodes in xattrs,
    // so a guest root cannot leave a setuid-root file or a device node on the host.
    ...(c.resultsDir
      ? fs9p(`local,path=${c.resultsDir},mount_tag=results,security_model=mapped-xattr,multidevs=remap`)
      : []),
  ];
}

export interface QemuResult {
  /** QEMU's own exit status (guest code c arrives as (c << 1) | 1 via isa-debug-exit). */
  exitCode?: number;
  timedOut: boolean;
  /** SIGINT / SIGTERM when this process was asked to stop. */
  interrupted?: NodeJS.Signals;
  durationMs: number;
  stderr: string;
}

/** The guest's code from QEMU's status, when it came through isa-debug-exit. */
export function guestCodeFromQemu(status: number | undefined): number | undefined {
  if (status === undefined || status === 0 || (status & 1) === 0) return undefined;
  return status >> 1;
}

let setprivOk: boolean | undefined;
function hasSetpriv(): boolean {
  setprivOk ??= ['/usr/bin/setpriv', '/bin/setpriv'].some((f) => fs.existsSync(f));
  return setprivOk;
}

/** signal: the caller ends QEMU early (e.g. the guest oopsed and made no progress since). */
export async function runQemu(
  c: QemuConfig,
  o: { timeoutMs: number; qemu?: QemuBin; signal?: AbortSignal },
): Promise<QemuResult> {
  const args = qemuArgs({ ...c, dataDirs: o.qemu?.dataDirs ?? c.dataDirs });
  const bin = o.qemu?.bin ?? qemuBinary();
  // setpriv execs qemu in place with PR_SET_PDEATHSIG: qemu dies with us, even on SIGKILL.
  const [file, argv] = hasSetpriv() ? ['setpriv', ['--pdeathsig', 'KILL', bin, ...args]] : [bin, args];
  const stop = interruptScope({ signals: STOP_SIGNALS });
  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort();
  for (const s of [stop.signal, o.signal]) s?.addEventListener('abort', onAbort);
  if (o.signal?.aborted) ctrl.abort();
  const t0 = Date.now();
  try {
    const r = await execa(file, argv as string[], {
      reject: false,
      timeout: o.timeoutMs,
      cancelSignal: ctrl.signal,
      killSignal: 'SIGTERM',
      forceKillAfterDelay: 3000,
      cleanup: true,
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
    });
    return {
      exitCode: r.exitCode,
      timedOut: r.timedOut,
      interrupted: stop.received,
      durationMs: Date.now() - t0,
      stderr: String(r.stderr ?? ''),
    };
  } finally {
    stop.dispose();
    o.signal?.removeEventListener('abort', onAbort);
  }
}
