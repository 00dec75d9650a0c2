// Which accelerator QEMU runs the guest with. KVM only where it really works:
// the CPU must advertise vmx/svm AND a trial boot must succeed (on some hosts
// /dev/kvm exists but cannot run a stock kernel, and `-accel kvm:tcg` does not
// fall back when KVM fails at run time). Otherwise TCG, single- or
// multi-threaded; the choice is named in every report, because an oops seen
// only under multi-threaded TCG may be the emulator's, not the kernel's.
import fs from 'node:fs';
import { UsageError } from '../cli/errors.js';

export type TcgThread = 'single' | 'multi';
export type Accel = { kind: 'kvm' } | { kind: 'tcg'; thread: TcgThread };

/**
 * Default TCG threading. Single: in measured repeated full-suite boots on this
 * project's machines, multi-threaded TCG produced `Oops: int3` in kernel text
 * patching (an emulator artefact) while single did not; see README.
 */
export const DEFAULT_TCG: TcgThread = 'single';

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
 * succeeds; TCG otherwise. An explicit --tcg skips KVM altogether.
 */
export async function chooseAccel(
  o: { tcg?: TcgThread },
  trial: (a: Accel) => Promise<boolean>,
  candidate = kvmCandidate,
): Promise<{ accel: Accel; why: string }> {
  if (o.tcg) return { accel: { kind: 'tcg', thread: o.tcg }, why: `--tcg ${o.tcg}` };
  const tcg: Accel = { kind: 'tcg', thread: DEFAULT_TCG };
  if (!candidate()) return { accel: tcg, why: 'no vmx/svm in /proc/cpuinfo or no usable /dev/kvm' };
  if (await trial({ kind: 'kvm' })) return { accel: { kind: 'kvm' }, why: 'vmx/svm present and a KVM trial boot worked' };
  return { accel: tcg, why: 'vmx/svm present but a KVM trial boot failed' };
}
