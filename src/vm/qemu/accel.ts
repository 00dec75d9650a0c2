// SPDX-License-Identifier: GPL-2.0-only
// Which accelerator QEMU runs the guest with. KVM only where it really works:
// the CPU must advertise vmx/svm AND a trial boot must succeed (on some hosts
// /dev/kvm exists but cannot run a stock kernel, and `-accel kvm:tcg` does not
// fall back when KVM fails at run time). Otherwise TCG, single- or
// multi-threaded; the choice is named in every report, because an oops seen
// only under multi-threaded TCG may be the emulator's, not the kernel's.
import fs from 'node:fs';
import { UsageError } from '../../errors.js';
import { MTTCG_MIN, mttcgSafe, type QemuVersion } from './version.js';
import { retrying } from '../retry.js';

export type TcgThread = 'single' | 'multi';
export type Accel = { kind: 'kvm' } | { kind: 'tcg'; thread: TcgThread };

/**
 * Default TCG threading, by QEMU version. Multi from QEMU 8.1: only then can
 * two guest syscalls run at once, and the races exist to make them overlap (a
 * 6.18 eventfs oops was caught in 3 of 3 boots under multi, 0 of 3 under
 * single). Single below 8.1: older QEMUs raise `Oops: int3` while the guest
 * kernel patches its text (2 of 5 boots under Debian 12's 7.2), an emulator
 * artefact; see docs/vm.md, "TCG mode". Unknown version: single, the safe side.
 */
export function defaultTcg(qemu: QemuVersion | undefined): { thread: TcgThread; why: string } {
  if (mttcgSafe(qemu)) {
    return {
      thread: 'multi',
      why: `QEMU ${qemu!.text} >= ${MTTCG_MIN.text}: multi-threaded TCG, the guest's vCPUs run at once`,
    };
  }
  const v = qemu ? `QEMU ${qemu.text} < ${MTTCG_MIN.text}` : 'QEMU version unknown';
  return {
    thread: 'single',
    why: `${v}: multi-threaded TCG would crash the guest (int3 in text patching), so single-threaded; two guest syscalls never run at once`,
  };
}

export function describeAccel(a: Accel): string {
  return a.kind === 'kvm' ? 'kvm' : `tcg thread=${a.thread}`;
}

export function accelArgs(a: Accel): string[] {
  return a.kind === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', `tcg,thread=${a.thread}`, '-cpu', 'max'];
}

export function parseTcg(v: string | undefined): TcgThread | undefined {
  if (v === undefined) return undefined;
  if (v === 'single' || v === 'multi') return v;
  throw new UsageError(`--tcg ${v}: must be single or multi`);
}

export function cpuHasVirt(cpuinfo: string): boolean {
  return /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo);
}

export function kvmCandidate(): boolean {
  let info = '';
  try {
    info = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return false;
  }
  try {
    fs.accessSync('/dev/kvm', fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    return false;
  }
  return cpuHasVirt(info);
}

/**
 * KVM when the CPU offers it and trial() (a short boot that must report back)
 * succeeds; TCG otherwise, threaded as defaultTcg(qemu) says. An explicit
 * --tcg skips KVM altogether.
 */
export async function chooseAccel(
  o: { tcg?: TcgThread; qemu?: QemuVersion },
  trial: (a: Accel) => Promise<boolean>,
  candidate = kvmCandidate,
): Promise<{ accel: Accel; why: string }> {
  if (o.tcg) {
    const risky =
      o.tcg === 'multi' && !mttcgSafe(o.qemu)
        ? `; beware: ${defaultTcg(o.qemu).why.split(':')[0]}, expect emulator int3 oopses`
        : '';
    return { accel: { kind: 'tcg', thread: o.tcg }, why: `--tcg ${o.tcg}${risky}` };
  }
  const d = defaultTcg(o.qemu);
  const tcg: Accel = { kind: 'tcg', thread: d.thread };
  if (!candidate()) return { accel: tcg, why: `no vmx/svm in /proc/cpuinfo or no usable /dev/kvm; ${d.why}` };
  const { result } = await retrying(
    async (change): Promise<{ accel: Accel; ok: boolean }> =>
      change === 'accel-tcg' ? { accel: tcg, ok: true } : { accel: { kind: 'kvm' }, ok: await trial({ kind: 'kvm' }) },
    (t) => (t.ok ? undefined : 'kvm-trial-failed'),
  );
  if (result.accel.kind === 'kvm' && result.ok)
    return { accel: result.accel, why: 'vmx/svm present and a KVM trial boot worked' };
  return { accel: tcg, why: `vmx/svm present but a KVM trial boot failed; ${d.why}` };
}
