// SPDX-License-Identifier: GPL-2.0-only
// Typed entry to the native race engine: validates, starts the run off the
// JS thread, forwards progress, and turns an AbortSignal into raceStop().
import { native } from '../native/index.js';
import type { NativeLatency, NativeRaceStats, NativeRaceSnapshot } from '../native/types.js';
import {
  OP_KINDS,
  type Latency,
  type OpKind,
  type OpStats,
  type RaceConfig,
  type RaceProgress,
  type RaceStats,
  type RunRaceOptions,
} from './types.js';
import { RaceConfigError, raceConfigProblems } from './validate.js';
import { fixFor, ToolFaultError } from '../tool-fault.js';

export { RaceConfigError } from './validate.js';

export async function runRace(config: RaceConfig, opts: RunRaceOptions = {}): Promise<RaceStats> {
  const problems = raceConfigProblems(config);
  if (problems.length) throw new RaceConfigError(problems);
  const { signal, onProgress } = opts;
  const onSnap = onProgress ? (s: NativeRaceSnapshot) => onProgress(toProgress(s)) : undefined;
  // Already aborted: create nothing at all.
  if (signal?.aborted) return toStats(emptyNativeStats(config.threads ?? 0));
  const run = outOfMemory(() => native.raceStart(config, onSnap));
  const stop = () => native.raceStop(run.id);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return toStats(await outOfMemoryAsync(run.done));
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

// The addon turns a C++ exception (std::bad_alloc) into an Error prefixed
// "raceStart: " or "race engine: " (native/race/binding.cc): out of memory is
// the tool's failure, never the kernel's. Anything else (a TypeError for a bad
// config, a config getter's own error) passes unchanged.
function memoryFault(e: unknown): unknown {
  if (!(e instanceof Error) || e instanceof TypeError || !/^(raceStart|race engine): /.test(e.message)) return e;
  return new ToolFaultError({ code: 'ENOMEM', cause: e.message, fix: fixFor('ENOMEM') });
}
function outOfMemory<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw memoryFault(e);
  }
}
async function outOfMemoryAsync<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw memoryFault(e);
  }
}

/** What the engine reports for a run with no cycle (also a base for planted statistics in tests). */
export function emptyNativeStats(threads: number): NativeRaceStats {
  const lat = { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  return {
    stopReason: 'stopped',
    elapsedNs: 0,
    threads,
    cycles: 0,
    racers: 0,
    stepAsides: 0,
    heldFds: 0,
    controllerNice: 0,
    busyRetries: 0,
    busyChecks: 0,
    dropCaches: 0,
    dropCachesErrors: 0,
    createLatencyNs: lat,
    removeLatencyNs: lat,
    ops: {},
    violationCount: 0,
    violations: [],
    violationsByRule: {},
  };
}

function toProgress(s: NativeRaceSnapshot): RaceProgress {
  const sec = s.elapsedNs / 1e9 || 1e-9;
  return {
    elapsedMs: s.elapsedNs / 1e6,
    cycles: s.cycles,
    ops: s.ops,
    violations: s.violations,
    opsPerSec: s.ops / sec,
    cyclesPerSec: s.cycles / sec,
  };
}

function toLatency(l: NativeLatency): Latency {
  return { count: l.count, p50Us: l.p50 / 1e3, p90Us: l.p90 / 1e3, p99Us: l.p99 / 1e3, maxUs: l.max / 1e3 };
}

export function toStats(n: NativeRaceStats): RaceStats {
  const sec = n.elapsedNs / 1e9 || 1e-9;
  const ops = {} as Record<OpKind, OpStats>;
  let totalOps = 0;
  for (const k of OP_KINDS) {
    const o = n.ops[k] ?? { count: 0, errnos: { present: {}, absent: {}, transition: {} } };
    ops[k] = { count: o.count, perSec: o.count / sec, errnos: o.errnos };
    totalOps += o.count;
  }
  return {
    stopReason: n.stopReason,
    ...(n.error ? { error: n.error } : {}),
    elapsedMs: n.elapsedNs / 1e6,
    threads: n.threads,
    cycles: n.cycles,
    cyclesPerSec: n.cycles / sec,
    racers: n.racers,
    stepAsides: n.stepAsides,
    heldFds: n.heldFds,
    ...(n.fdBudget ? { fdBudget: n.fdBudget } : {}),
    ...(n.resourceError ? { resourceError: n.resourceError } : {}),
    controllerNice: n.controllerNice,
    ...(n.controllerBoostError ? { controllerBoostError: n.controllerBoostError } : {}),
    totalOps,
    opsPerSec: totalOps / sec,
    ops,
    createLatency: toLatency(n.createLatencyNs),
    removeLatency: toLatency(n.removeLatencyNs),
    busyRetries: n.busyRetries,
    busyChecks: n.busyChecks,
    dropCaches: n.dropCaches,
    dropCachesErrors: n.dropCachesErrors,
    violationCount: n.violationCount,
    violationsByRule: n.violationsByRule,
    violations: n.violations.map((v) => ({
      thread: v.thread < 0 ? 'controller' : v.thread,
      rule: v.rule,
      op: v.op,
      path: v.path,
      expected: v.expected,
      got: v.got,
      cycle: v.cycle,
      generationBefore: v.generationBefore,
      generationAfter: v.generationAfter,
      phaseBefore: v.phaseBefore,
      phaseAfter: v.phaseAfter,
      startUs: v.startNs / 1e3,
      endUs: v.endNs / 1e3,
    })),
  };
}
