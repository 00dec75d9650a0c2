// SPDX-License-Identifier: GPL-2.0-only
// The explore loop: generate or mutate a program, execute it (the Explorer
// judges every action), account its kernel edges, keep what broke the model.
// With a TraceSource (KCOV) a program that reached new edges joins the corpus
// and the corpus is mutated; without one the loop runs blind: it generates,
// and mutates nothing (the corpus stays empty). Deterministic for a seed
// (opts.rng) given a deterministic Explorer and traces: nothing the loop
// chooses depends on time.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { isErr } from '../native/index.js';
import { Corpus } from './corpus.js';
import type { TraceSource } from './kcov.js';
import type { Execution, Explorer, Program, Rng } from './types.js';

export type StopReason = 'duration' | 'programs' | 'signal' | 'violation';

export interface ExploreOptions {
  rng: Rng;
  /** Stop after this long (ms of opts.now). */
  durationMs?: number;
  /** Stop after this many programs. */
  maxPrograms?: number;
  /** Stop when aborted (interruptScope's signal); passed on to execute. */
  signal?: AbortSignal;
  /** Go on after an execution with violations (default: the first one ends the loop). */
  keepGoing?: boolean;
  /** With a non-empty corpus, the chance of a fresh program instead of a mutation (default 0.1). */
  generateChance?: number;
  /** Time between two onProgress calls (default 1000 ms). */
  progressIntervalMs?: number;
  /** Called every interval, and once more at the end with final = true. */
  onProgress?: (s: ExploreStats, final: boolean) => void;
  /** Called before each execution: a kernel that dies inside it leaves this as the last word (explore --stream). */
  onProgram?: (seq: number, program: Program, elapsedMs: number) => void;
  /** Called for each execution with violations, as it comes. */
  onFinding?: (f: Finding) => void;
  /** Milliseconds, monotonic (default performance.now). */
  now?: () => number;
}

export interface ExploreStats {
  /** With KCOV (guided) or without (blind). */
  guided: boolean;
  programs: number;
  generated: number;
  mutated: number;
  elapsedMs: number;
  programsPerSec: number;
  /** Executions with at least one model violation. */
  violating: number;
  violations: number;
  corpus: number;
  edges: number;
  /** Edges first reached since the previous progress report. */
  newEdges: number;
  /** Executions whose trace failed (start or stop gave an errno): counted, run blind. */
  traceErrors: number;
  lastTraceError?: string;
  /** Traces that filled the KCOV buffer (edges after the fill were lost). */
  fullBuffers: number;
}

/** A run's numbers before its first program. */
export function emptyStats(guided: boolean): ExploreStats {
  return {
    guided,
    programs: 0,
    generated: 0,
    mutated: 0,
    elapsedMs: 0,
    programsPerSec: 0,
    violating: 0,
    violations: 0,
    corpus: 0,
    edges: 0,
    newEdges: 0,
    traceErrors: 0,
    fullBuffers: 0,
  };
}

/** An execution that broke the model. */
export interface Finding {
  /** The program's number in the run (0-based). */
  seq: number;
  /** Exploring time when it started, ms: the time to catch. */
  ms: number;
  program: Program;
  execution: Execution;
}

export interface ExploreResult {
  stop: StopReason;
  stats: ExploreStats;
  findings: Finding[];
  corpus: Corpus;
}

export async function explore(o: ExploreOptions, explorer: Explorer, trace?: TraceSource): Promise<ExploreResult> {
  const now = o.now ?? (() => performance.now());
  const generateChance = o.generateChance ?? 0.1;
  const interval = o.progressIntervalMs ?? 1000;
  const t0 = now();
  const corpus = new Corpus();
  const findings: Finding[] = [];
  const s = emptyStats(trace !== undefined);
  let lastReport = t0;
  let edgesAtReport = 0;
  const snapshot = (t: number): ExploreStats => {
    s.elapsedMs = t - t0;
    s.programsPerSec = s.elapsedMs > 0 ? (s.programs * 1000) / s.elapsedMs : 0;
    s.corpus = corpus.size;
    s.edges = corpus.edges;
    s.newEdges = corpus.edges - edgesAtReport;
    s.fullBuffers = trace?.fullBuffers ?? 0;
    return { ...s };
  };

  let stop: StopReason | undefined;
  for (;;) {
    if (o.signal?.aborted) stop = 'signal';
    else if (o.maxPrograms !== undefined && s.programs >= o.maxPrograms) stop = 'programs';
    else if (o.durationMs !== undefined && now() - t0 >= o.durationMs) stop = 'duration';
    if (stop) break;

    const parent = corpus.size > 0 && !o.rng.chance(generateChance) ? corpus.next(o.rng) : undefined;
    const program = parent
      ? explorer.mutate(
          parent.program,
          o.rng,
          corpus.entries.map((e) => e.program),
        )
      : explorer.generate(o.rng);
    if (parent) s.mutated++;
    else s.generated++;

    const seq = s.programs;
    const ms = now() - t0;
    o.onProgram?.(seq, program, ms);
    const execution = await traced(trace, s, () => explorer.execute(program, o.signal));
    s.programs++;
    if (execution.edges) corpus.admit(program, execution.edges, seq);

    const e = execution.result;
    if (e.violations.length > 0) {
      s.violating++;
      s.violations += e.violations.length;
      const f: Finding = { seq, ms, program, execution: e };
      findings.push(f);
      o.onFinding?.(f);
      if (!o.keepGoing) stop = 'violation';
    }
    if (stop) break;

    const t = now();
    if (o.onProgress && t - lastReport >= interval) {
      o.onProgress(snapshot(t), false);
      lastReport = t;
      edgesAtReport = corpus.edges;
    }
    // A synchronous Explorer resolves at once: without a turn of the event
    // loop, the signal handler that aborts o.signal would never run.
    await yieldToLoop();
  }
  const stats = snapshot(now());
  o.onProgress?.(stats, true);
  return { stop, stats, findings, corpus };
}

/** Runs one execution with the trace around it; edges undefined when blind or the trace failed. */
async function traced(
  trace: TraceSource | undefined,
  s: ExploreStats,
  run: () => Promise<Execution>,
): Promise<{ result: Execution; edges?: Set<number> }> {
  const started = trace?.start();
  const on = trace !== undefined && !isErr(started);
  if (isErr(started)) {
    s.traceErrors++;
    s.lastTraceError = started.toString();
  }
  let edges: Set<number> | undefined;
  let result: Execution;
  try {
    result = await run();
  } finally {
    if (on) {
      const r = trace.stop();
      if (isErr(r)) {
        s.traceErrors++;
        s.lastTraceError = r.toString();
      } else edges = r;
    }
  }
  return edges ? { result, edges } : { result };
}
