// SPDX-License-Identifier: GPL-2.0-only
// `run --repro-dir DIR`: for a FAIL, the standalone C reproducer
// DIR/<scenario>[<kind>].c. Single-threaded scenarios replay their recorded
// calls (minimised against the live kernel); race scenarios go to race.ts.
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { C } from '../native/index.js';
import { packageRoot } from '../package.js';
import { readCounters, readFileNative, type Counters } from '../health/index.js';
import type { ProbeKind } from '../model.js';
import type { ScenarioResult } from '../report/types.js';
import type { Scenario } from '../scenarios/types.js';
import { resolveCheck, type ResolvedCheck } from './check.js';
import { ddmin, type Budget, type DdminResult } from './ddmin.js';
import { emit, runnable } from './emit.js';
import { emitRace, RACE_NOT_YET } from './race.js';
import { freshNames, replay } from './replay.js';
import { merge, partition } from './keep.js';
import type { Recording, Step } from './types.js';

import { Recorder } from './record.js';
import { reproFileName } from './dir.js';
import { writeFileInDir } from '../util/output.js';
import { targetFor } from '../probes/targets.js';

export { Recorder };

export interface ReproContext {
  /** Absolute, existing, writable (validated by run before anything was created). */
  dir: string;
  scenario: Scenario;
  kind: ProbeKind;
  /** The variant's recorded calls; undefined for race scenarios. */
  recording?: Recording;
  kernel: { release: string; version: string };
  /** Race scenarios: what the run was given. */
  options?: { durationMs: number; threads: number };
  budget?: Budget;
  signal?: AbortSignal;
  /** --repeat: the iteration, which the file name carries. */
  iteration?: number;
}

export type Written = NonNullable<ScenarioResult['reproducer']>;

/** Minimisation stops after this many replays or seconds, whichever first. */
export const DEFAULT_BUDGET: Budget = { maxAttempts: 300, maxMs: 30_000 };

export function runtimeSource(): string {
  return fs.readFileSync(path.join(packageRoot, 'src', 'repro', 'c', 'runtime.c'), 'utf8');
}

function note(result: ScenarioResult, n: string): void {
  result.notes = [...(result.notes ?? []), n];
}

/**
 * Writes the reproducer of a FAIL into ctx.dir and records it on the result
 * (reproducer, and a note saying the file and the steps kept); a note says why when none can be written.
 */
export async function writeReproducer(result: ScenarioResult, ctx: ReproContext): Promise<Written | undefined> {
  let w: Written | undefined;
  let why: string | undefined;
  if (ctx.scenario.race) {
    try {
      w = await emitRace(result, ctx);
      why = RACE_NOT_YET;
    } catch (e) {
      why = `${(e as Error).name}: ${(e as Error).message}`;
    }
  } else if (ctx.kind !== 'kprobe' && ctx.kind !== 'uprobe') {
    why = `reproducers for ${ctx.kind} events: not supported (kprobe and uprobe only)`;
  } else if (!ctx.recording) {
    why = 'no recording of the scenario';
  } else {
    try {
      const r = await sequenceReproducer(result, ctx, ctx.recording);
      if (typeof r === 'string') why = r;
      else w = r;
    } catch (e) {
      why = `${(e as Error).name}: ${(e as Error).message}`;
    }
  }
  if (!w) {
    note(result, `no reproducer: ${why ?? 'none written'}`);
    return undefined;
  }
  result.reproducer = w;
  const steps = w.steps ? ` (steps kept ${w.steps.kept} of ${w.steps.total})` : '';
  note(result, `reproducer: ${path.join(ctx.dir, w.file)}${steps}`);
  return w;
}

const isHealth = (op: string) => op === 'kernel health';

async function sequenceReproducer(
  result: ScenarioResult,
  ctx: ReproContext,
  rec: Recording,
): Promise<Written | string> {
  const budget = ctx.budget ?? DEFAULT_BUDGET;
  const notes: string[] = [];
  const judged = rec.judged.find((j) => j.step >= 0);
  let mode: 'sequence' | 'health';
  let steps: Step[];
  let total: number;
  let check: ResolvedCheck | undefined;
  if (judged) {
    mode = 'sequence';
    check = resolveCheck(judged);
    const before = rec.steps.slice(0, judged.step);
    const last = rec.steps[judged.step]!;
    total = judged.step + 1;
    if (!check) {
      notes.push("not minimised: the violated condition is the scenario's own; the health counters decide");
      steps = [...before, last];
    } else {
      const { fixed, droppable } = partition(before, C.O_CREAT | C.O_TRUNC);
      const res = await minimise(droppable, budget, ctx.signal, (cand) => {
        const r = replay([...merge(fixed, cand), last], check, freshNames(rec.names));
        return () => r.ran && r.violated;
      });
      if (res.unreproducible) notes.push('not minimised: the whole sequence did not reproduce on replay');
      else if (!res.complete) notes.push(`minimisation stopped by its budget after ${res.attempts} replays`);
      else notes.push(`minimised in ${res.attempts} replays`);
      const changes = fixed.filter((s) => s.call !== 'close').length;
      notes.push(
        `${changes} steps that change the kernel's state (writes, mkdir, rmdir, chmod, chown, chdir, with the opens they go through) were never dropped`,
      );
      steps = runnable([...merge(fixed, res.kept), last]);
    }
  } else if (result.evidence.some((e) => isHealth(e.op))) {
    mode = 'health';
    total = rec.steps.length;
    steps = rec.steps;
    const h = result.health;
    const oopsed = !!h?.oopsCount && h.oopsCount.after > h.oopsCount.before;
    const warned = !!h?.warnCount && h.warnCount.after > h.warnCount.before;
    if (oopsed) notes.push('not minimised: the kernel oopsed (only a WARN is replayed to minimise)');
    else if (!warned) notes.push('not minimised: no warn_count rise to minimise on');
    else {
      const { fixed: hFixed, droppable: hDroppable } = partition(rec.steps, C.O_CREAT | C.O_TRUNC);
      const res = await minimise(hDroppable, budget, ctx.signal, (cand) => {
        replay(merge(hFixed, cand), undefined, freshNames(rec.names));
        return (before, after) => rose(before, after, 'warn') || rose(before, after, 'taint');
      });
      notes.push(
        res.complete ? `minimised in ${res.attempts} replays` : `minimisation stopped after ${res.attempts} replays`,
      );
      steps = runnable(res.unreproducible ? rec.steps : merge(hFixed, res.kept));
    }
  } else {
    return 'no recorded step was judged (the failing check was not on a call the scenario made)';
  }
  const file = reproFileName(result.name, ctx.iteration);
  const kept = steps.length;
  const text = emit({
    runtime: runtimeSource(),
    mode,
    kind: ctx.kind,
    ...(ctx.kind === 'kprobe' ? { symbol: rec.names.target } : {}),
    steps,
    ...(judged && mode === 'sequence' ? { judged, check } : {}),
    header: {
      name: result.name,
      title: ctx.scenario.title,
      description: ctx.scenario.description,
      references: ctx.scenario.references,
      kernel: ctx.kernel,
      date: new Date().toISOString().slice(0, 10),
      file,
      steps: { kept, total },
      notes,
    },
    flags: C as unknown as Record<string, number>,
  });
  writeFileInDir(ctx.dir, file, text);
  return { file, mode, steps: { kept, total } };
}

/**
 * ddmin over the droppable steps. `replayed` replays one candidate and returns
 * how to judge it from the kernel's counters before and after; the replays
 * yield to the event loop (a signal can stop them), and an oops ends the
 * minimisation: never replay after an oops.
 */
async function minimise(
  droppable: Step[],
  budget: Budget,
  signal: AbortSignal | undefined,
  replayed: (cand: Step[]) => (before: Counters, after: Counters) => boolean,
): Promise<DdminResult<Step>> {
  return ddmin(
    droppable,
    async (cand) => {
      await tick();
      if (signal?.aborted) return 'stop';
      const before = counters();
      const judge = replayed(cand);
      const after = counters();
      if (rose(before, after, 'oops')) return 'stop';
      return judge(before, after);
    },
    budget,
  );
}

function counters(): Counters {
  return readCounters(readFileNative);
}

function rose(a: Counters, b: Counters, k: 'oops' | 'warn' | 'taint'): boolean {
  const x = a[k];
  const y = b[k];
  return x !== undefined && y !== undefined && (k === 'taint' ? y !== x : y > x);
}

/** A recorder for a variant of this kind, or undefined when the kind has no reproducer (its note says so later). */
export function recorderFor(root: string, runId: string, kind: ProbeKind): Recorder | undefined {
  if (kind !== 'kprobe' && kind !== 'uprobe') return undefined;
  let t;
  try {
    t = targetFor(kind);
  } catch {
    return undefined; // the scenario will not get far either: its own error says why
  }
  const target = t.kind === 'uprobe' ? `${t.path}:0x${t.offset.toString(16)}` : t.kind === 'kprobe' ? t.symbol : '';
  return new Recorder({ root, id: runId, target });
}
