// SPDX-License-Identifier: GPL-2.0-only
// Whether a race's workers could run at the same instant where it ran: a
// race whose syscalls never overlap cannot lose it, so its PASS proves little.
// Known from the guest's accelerator (the VM runner passes it as
// TRACEFS_REGRESS_ACCEL) and the CPUs this process may use.
import os from 'node:os';
import type { RaceStats, RaceSummary } from './types.js';

export interface RaceHost {
  /** "kvm", "tcg thread=single", "tcg thread=multi"; undefined on a real machine. */
  accelerator?: string;
  cpus: number;
}

/** This process: the accelerator the VM runner named (none on a host) and the CPUs it may run on. */
export function thisHost(env: NodeJS.ProcessEnv = process.env): RaceHost {
  return { accelerator: env.TRACEFS_REGRESS_ACCEL || undefined, cpus: os.availableParallelism() };
}

export function canOverlap(h: RaceHost): { overlap: boolean; why: string } {
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  if (h.cpus < 2) return { overlap: false, why: `${n(h.cpus, 'CPU')} online: the workers take turns` };
  switch (h.accelerator) {
    case undefined:
      return { overlap: true, why: `${n(h.cpus, 'online CPU')}` };
    case 'kvm':
      return { overlap: true, why: `KVM guest with ${n(h.cpus, 'vCPU')}` };
    case 'tcg thread=multi':
      return { overlap: true, why: `multi-threaded TCG guest: ${n(h.cpus, 'vCPU')} on their own host threads` };
    case 'tcg thread=single':
      return {
        overlap: false,
        why: `single-threaded TCG guest: its ${n(h.cpus, 'vCPU')} take turns on one host thread, so two syscalls never run at once`,
      };
    default:
      // Claiming overlap that may not exist would make a PASS look stronger than it is.
      return { overlap: false, why: `unknown accelerator '${h.accelerator}': overlap not assumed` };
  }
}

export function raceSummary(stats: RaceStats, h: RaceHost): RaceSummary {
  const o = canOverlap(h);
  return {
    overlap: o.overlap,
    overlapWhy: o.why,
    cpus: h.cpus,
    threads: stats.threads,
    cycles: stats.cycles,
    cyclesPerSec: Math.round(stats.cyclesPerSec * 10) / 10,
    ops: stats.totalOps,
    opsPerSec: Math.round(stats.opsPerSec),
  };
}
