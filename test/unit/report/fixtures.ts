// SPDX-License-Identifier: GPL-2.0-only
// Planted RunReports for the reporter tests.
import type { RunReport, ScenarioResult } from '../../../src/report/types.js';
import { emptyNativeStats, toStats } from '../../../src/race/engine.js';
import type { RaceStats } from '../../../src/race/types.js';

/** What the engine returns for a clean 1 s race: 150k opens and 60k stats in 90k cycles on 4 threads. */
export function raceStats(): RaceStats {
  const errnos = (n: number) => ({ present: { OK: n }, absent: {}, transition: {} });
  return toStats({
    ...emptyNativeStats(4),
    stopReason: 'duration',
    elapsedNs: 1e9,
    cycles: 90_000,
    racers: 4,
    ops: { 'open-read': { count: 150_000, errnos: errnos(150_000) }, stat: { count: 60_000, errnos: errnos(60_000) } },
  });
}

export function result(over: Partial<ScenarioResult> & Pick<ScenarioResult, 'name' | 'status'>): ScenarioResult {
  const scenario = over.name.replace(/\[.*$/, '');
  return {
    scenario,
    kind: 'uprobe',
    title: `title of ${scenario}`,
    evidence: [],
    checks: 12,
    durationMs: 35,
    references: ['8dce06e98c70'],
    ...over,
  };
}

export const pass = result({
  name: 'removed-files-enoent[uprobe]',
  status: 'PASS',
  health: {
    ok: true,
    oopsCount: { before: 0, after: 0 },
    taint: { before: 0, after: 0, letters: '' },
    kernelLines: [],
  },
});

export const skip = result({
  name: 'removed-files-enoent[kprobe]',
  kind: 'kprobe',
  status: 'UNSUPPORTED',
  reason: 'kprobe_events not available in this kernel',
  checks: 0,
  durationMs: 0,
});

export const fail = result({
  name: 'held-fd-enodev[uprobe]',
  status: 'FAIL',
  checks: 8,
  durationMs: 40,
  evidence: [
    {
      op: 'read',
      path: '/sys/kernel/tracing/events/g/e/enable',
      expected: 'ENODEV',
      got: '"0\\n" (2 bytes)',
      detail: 'generation 3\nthread 1',
    },
    {
      op: 'kernel health',
      path: '/dev/kmsg',
      expected: 'no oops',
      got: 'oops_count 0->1',
      detail:
        '[   12.000001] BUG: KASAN: slab-use-after-free in event_enable_write+0x40/0x120\n[   12.000002] Write of size 4',
    },
  ],
  health: {
    ok: false,
    oopsCount: { before: 0, after: 1 },
    warnCount: { before: 0, after: 0 },
    taint: { before: 0, after: 160, letters: 'BD', gained: 'BD' },
    kernelLines: [
      '[   12.000001] BUG: KASAN: slab-use-after-free in event_enable_write+0x40/0x120',
      '[   12.000002] Write of size 4',
    ],
  },
});

export const unresolved = result({
  name: 'instances[uprobe]',
  status: 'UNRESOLVED',
  reason: 'could not remove: instances/tfsr_1_ab',
  checks: 3,
});

export const race = result({
  name: 'race-reopen[uprobe]',
  status: 'PASS',
  checks: 1,
  durationMs: 3012,
  stats: raceStats(),
});

export function report(results: ScenarioResult[], over: Partial<RunReport> = {}): RunReport {
  return {
    tool: { name: 'tracefs-regress', version: '0.1.0' },
    startedAt: '2026-11-25T22:00:00.000Z',
    durationMs: 3200,
    env: {
      kernel: { release: '6.18.44-fc-v782', version: '#1 SMP PREEMPT_DYNAMIC', machine: 'x86_64' },
      tracefs: '/sys/kernel/tracing',
      features: ['dynamic_events', 'instances', 'uprobe_events'],
      hostname: 'box',
    },
    results,
    ...over,
  };
}

/** A race in a multi-threaded TCG guest: its workers could overlap. */
export const raceMulti = result({
  name: 'race-reopen[uprobe]',
  status: 'PASS',
  checks: 2_800,
  durationMs: 3_020,
  race: {
    overlap: true,
    overlapWhy: 'multi-threaded TCG guest: 2 vCPUs on their own host threads',
    cpus: 2,
    threads: 2,
    cycles: 3_012,
    cyclesPerSec: 1_004,
    ops: 41_250,
    opsPerSec: 13_750,
  },
});

/** The same race under single-threaded TCG: no two syscalls ever ran at once. */
export const raceSingle = result({
  name: 'race-getdents[uprobe]',
  status: 'PASS',
  checks: 900,
  durationMs: 3_010,
  race: {
    overlap: false,
    overlapWhy:
      'single-threaded TCG guest: its 2 vCPUs take turns on one host thread, so two syscalls never run at once',
    cpus: 2,
    threads: 2,
    cycles: 140,
    cyclesPerSec: 46.7,
    ops: 7_200,
    opsPerSec: 2_400,
  },
  notes: ['race race-getdents[uprobe]: End of test: SUCCESS (0 violations)'],
});

/** Words every format must carry for raceSingle. */
export const NO_OVERLAP =
  /the race's workers could not overlap \(single-threaded TCG guest: .*\), so a PASS here proves little/;

const note6_1 = {
  source: 'kernel/known-bugs.json',
  entry: 4,
  action: 'xfail' as const,
  why: 'Debian 6.1: a trigger written through an fd held across removal reaches the unregistered probe',
  reference: 'README, What it found',
  signature: ['WARNING:', 'enable_trace_kprobe'],
};

/** A failure an expectations entry explains (its signature found in a kernel line). */
export const xfail = result({
  name: 'fd-across-removal[kprobe]',
  kind: 'kprobe',
  status: 'XFAIL',
  checks: 20,
  evidence: [
    {
      op: 'pread (fd held across removal)',
      path: '/sys/kernel/tracing/events/g/e/filter',
      expected: 'ENODEV',
      got: 'success (5 bytes)',
    },
    {
      op: 'kernel health',
      path: '/dev/kmsg',
      expected: 'no oops',
      got: 'warn_count 0->1',
      detail: 'WARNING: CPU: 1 PID: 230 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x1f/0x110',
    },
  ],
  health: {
    ok: false,
    warnCount: { before: 0, after: 1 },
    kernelLines: ['WARNING: CPU: 1 PID: 230 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x1f/0x110'],
  },
  expectation: {
    ...note6_1,
    verdict: 'xfail',
    matched: 'WARNING: CPU: 1 PID: 230 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x1f/0x110',
  },
});

/** A pass where an xfail entry expects a failure: a fixed kernel, or a stale entry. */
export const xpass = result({
  name: 'fd-across-removal[kprobe]',
  kind: 'kprobe',
  status: 'XPASS',
  checks: 20,
  expectation: { ...note6_1, verdict: 'xpass' },
});

/** A variant a SIGTERM kept from running (the runner's not-run result). */
export const notRunTerm = result({
  name: 'removed-files-enoent[uprobe]',
  status: 'UNRESOLVED',
  reason: 'not run: interrupted by SIGTERM',
  notRun: 'interrupted',
  checks: 0,
  durationMs: 0,
  references: [],
});
