// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { canOverlap, raceSummary, thisHost } from '../../../src/race/overlap.js';
import { raceOutcome } from '../../../src/scenarios/race-kit.js';
import { emptyNativeStats, toStats } from '../../../src/race/engine.js';
import type { RaceStats } from '../../../src/race/types.js';
import type { NativeRaceStats } from '../../../src/native/types.js';

const native: NativeRaceStats = {
  ...emptyNativeStats(2),
  stopReason: 'duration',
  elapsedNs: 3e9,
  cycles: 140,
  racers: 2,
  ops: { 'open-read': { count: 7_201, errnos: { present: { OK: 7_201 }, absent: {}, transition: {} } } },
};
const stats: RaceStats = toStats(native);

describe('whether race workers can overlap', () => {
  it('yes on a host with 2+ CPUs, in a KVM guest, and under multi-threaded TCG', () => {
    expect(canOverlap({ cpus: 2 })).toEqual({ overlap: true, why: '2 online CPUs' });
    expect(canOverlap({ accelerator: 'kvm', cpus: 4 }).overlap).toBe(true);
    expect(canOverlap({ accelerator: 'tcg thread=multi', cpus: 2 })).toEqual({
      overlap: true,
      why: 'multi-threaded TCG guest: 2 vCPUs on their own host threads',
    });
  });

  it('no under single-threaded TCG, on one CPU, and for an accelerator it does not know', () => {
    expect(canOverlap({ accelerator: 'tcg thread=single', cpus: 2 })).toEqual({
      overlap: false,
      why: 'single-threaded TCG guest: its 2 vCPUs take turns on one host thread, so two syscalls never run at once',
    });
    expect(canOverlap({ cpus: 1 })).toEqual({ overlap: false, why: '1 CPU online: the workers take turns' });
    expect(canOverlap({ accelerator: 'kvm', cpus: 1 }).overlap).toBe(false);
    expect(canOverlap({ accelerator: 'hvf', cpus: 8 })).toMatchObject({
      overlap: false,
      why: expect.stringMatching(/unknown accelerator 'hvf'/),
    });
  });

  it('reads the accelerator the VM runner passes, none on a host', () => {
    expect(thisHost({ TRACEFS_REGRESS_ACCEL: 'tcg thread=single' }).accelerator).toBe('tcg thread=single');
    expect(thisHost({}).accelerator).toBeUndefined();
    expect(thisHost({}).cpus).toBeGreaterThanOrEqual(1);
  });

  it('summarises cycles, ops and their rates (rounded), threads and CPUs', () => {
    expect(raceSummary(stats, { accelerator: 'tcg thread=single', cpus: 2 })).toEqual({
      overlap: false,
      overlapWhy:
        'single-threaded TCG guest: its 2 vCPUs take turns on one host thread, so two syscalls never run at once',
      cpus: 2,
      threads: 2,
      cycles: 140,
      cyclesPerSec: 46.7,
      ops: 7_201,
      opsPerSec: 2_400,
    });
  });

  it('every race outcome carries the summary, PASS, FAIL and UNRESOLVED alike', () => {
    const single = { accelerator: 'tcg thread=single', cpus: 2 };
    expect(raceOutcome('x', stats, false, single).race?.overlap).toBe(false);
    expect(raceOutcome('x', toStats({ ...native, cycles: 0 }), false, single)).toMatchObject({
      status: 'UNRESOLVED',
      race: { cycles: 0 },
    });
    expect(raceOutcome('x', stats, false, { cpus: 2 }).race?.overlap).toBe(true);
  });
});
