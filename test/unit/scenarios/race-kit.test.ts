// SPDX-License-Identifier: GPL-2.0-only
// How race statistics become a scenario outcome: violations are evidence
// (op, path, expected, got) and fail the scenario; a stopped create/remove
// step is UNRESOLVED; a race that ran nothing is not a PASS.
import { describe, expect, it } from 'vitest';
import { toStats } from '../../../src/race/engine.js';
import { raceOutcome, violationEvidence } from '../../../src/scenarios/race-kit.js';
import type { NativeRaceStats } from '../../../src/native/types.js';

function stats(over: Partial<NativeRaceStats> = {}): NativeRaceStats {
  const lat = { count: 10, p50: 7000, p90: 9000, p99: 12000, max: 20000 };
  return {
    stopReason: 'duration',
    elapsedNs: 2e9,
    threads: 2,
    cycles: 10,
    racers: 2,
    stepAsides: 0,
    heldFds: 0,
    controllerNice: 0,
    busyRetries: 0,
    busyChecks: 1,
    dropCaches: 0,
    dropCachesErrors: 0,
    createLatencyNs: lat,
    removeLatencyNs: lat,
    ops: {
      'open-read': { count: 100, errnos: { present: { OK: 50 }, absent: { ENOENT: 40 }, transition: { ENODEV: 10 } } },
    },
    violationCount: 0,
    violations: [],
    violationsByRule: {},
    ...over,
  };
}

const v = {
  thread: 1,
  rule: 'absent-not-enoent',
  op: 'open-read',
  path: '/t/events/g/e/enable',
  expected: 'ENOENT',
  got: 'success',
  cycle: 4,
  generationBefore: 9,
  generationAfter: 9,
  phaseBefore: 'absent',
  phaseAfter: 'absent',
  startNs: 1500,
  endNs: 4500,
} as const;

describe('race outcome', () => {
  it('derives rates and latencies in microseconds', () => {
    const s = toStats(stats());
    expect(s.opsPerSec).toBe(50);
    expect(s.cyclesPerSec).toBe(5);
    expect(s.ops['open-read'].perSec).toBe(50);
    expect(s.ops.getdents.count).toBe(0);
    expect(s.removeLatency).toEqual({ count: 10, p50Us: 7, p90Us: 9, p99Us: 12, maxUs: 20 });
  });

  it('a clean run passes with every op counted as a check', () => {
    const o = raceOutcome('x[uprobe]', toStats(stats()), false);
    expect(o.status).toBe('PASS');
    expect(o.checks).toBe(101);
    expect(o.notes?.at(-1)).toBe('race x[uprobe]: End of test: SUCCESS (0 violations)');
  });

  it('violations fail with evidence naming op, path, expected and got', () => {
    const o = raceOutcome(
      'x',
      toStats(stats({ violationCount: 150, violations: [v], violationsByRule: { 'absent-not-enoent': 150 } })),
      false,
    );
    expect(o.status).toBe('FAIL');
    expect(o.evidence).toEqual([violationEvidence(toStats(stats({ violations: [v] })).violations[0]!)]);
    expect(o.evidence[0]).toMatchObject({
      op: 'open-read',
      path: '/t/events/g/e/enable',
      expected: 'ENOENT',
      got: 'success',
    });
    expect(o.evidence[0]!.detail).toMatch(/absent-not-enoent; thread 1; generation 9->9 \(absent->absent\)/);
    expect(o.notes).toContain('149 more violations counted, not kept in full');
  });

  it('a failed create/remove step is UNRESOLVED with the reason; an empty race is not a PASS', () => {
    const bad = raceOutcome(
      'x',
      toStats(stats({ stopReason: 'error', error: 'create: write(/t/uprobe_events): EEXIST' })),
      false,
    );
    expect(bad).toMatchObject({
      status: 'UNRESOLVED',
      reason: 'race stopped: create: write(/t/uprobe_events): EEXIST',
    });
    expect(raceOutcome('x', toStats(stats({ cycles: 0 })), false).status).toBe('UNRESOLVED');
    // Interrupted before a cycle completed: partial, not unresolved.
    const cut = raceOutcome('x', toStats(stats({ cycles: 0, stopReason: 'stopped' })), true);
    expect(cut.status).toBe('PASS');
    expect(cut.notes).toContain('interrupted: partial statistics');
  });

  it("a race stopped on the tool's own failure is ERROR (UNRESOLVED with the fault), never FAIL", () => {
    const resourceError = { code: 'EMFILE', thread: 1, op: 'openat', path: '/t/events/g/e', stops: 2 };
    const fault = {
      code: 'EMFILE',
      cause: 'worker 1: openat(/t/events/g/e): EMFILE',
      fix: 'raise the fd limit: ulimit -n 300',
    };
    const o = raceOutcome('x', toStats(stats({ stopReason: 'stopped', resourceError })), false, undefined, fault);
    expect(o).toMatchObject({ status: 'UNRESOLVED', fault });
    expect(o.reason).toBe(
      'tool error, not a kernel verdict: worker 1: openat(/t/events/g/e): EMFILE; fix: raise the fd limit: ulimit -n 300',
    );
    expect(o.notes?.at(-1)).toBe('race x: End of test: ERROR (0 violations)');
    // A violation the engine judged is still the kernel's, whatever stopped the run.
    const both = raceOutcome(
      'x',
      toStats(
        stats({ resourceError, violationCount: 1, violations: [v], violationsByRule: { 'absent-not-enoent': 1 } }),
      ),
      false,
      undefined,
      fault,
    );
    expect(both.status).toBe('FAIL');
    expect(both.fault).toBeUndefined();
  });
});
