// SPDX-License-Identifier: GPL-2.0-only
// Runs the selected scenario variants one after another, each wrapped in the
// kernel-health oracle, and gathers a RunReport.
import os from 'node:os';
import { startHealthWatch, type HealthWatch } from '../health/index.js';
import { Ownership } from '../probes/ownership.js';
import type { ProbeKind } from '../model.js';
import { KIND_FEATURE } from '../tracefs/features.js';
import { unavailableReason } from '../tracefs/feature-table.js';
import { isFailing, type NotRun, type RunEnvironment, type RunReport, type ScenarioResult } from '../report/types.js';
import { skipEntryFor, skippedResult } from '../expectations/apply.js';
import type { KnownBug } from '../expectations/types.js';
import type { Crasher, ExpectEntry } from '../expectations/types.js';
import type { Scenario, ScenarioOptions, ScenarioOutcome } from '../scenarios/types.js';
import type { Tracefs } from '../tracefs/types.js';
import { SetupError } from '../scenarios/checks.js';
import { faultReason, ToolFaultError } from '../tool-fault.js';
import { kindExclusion } from '../scenarios/applies.js';
import { VariantContext, type ContextHooks } from './context.js';
import { toolVersion } from '../package.js';
import { reportedConfig } from '../report/config.js';
import { onTeardown } from './teardown.js';
import { armWatchdog, native, type Watch } from '../native/index.js';
import { ABANDON_AFTER_MS, untilAbandoned, variantTimeoutMs } from './timeout.js';
import { judgeVariant, type VariantBase, type VariantFacts } from './judge.js';
import { recorderFor, writeReproducer, type Recorder } from '../repro/index.js';
import type { Recording } from '../repro/types.js';

export interface SuiteOptions extends ScenarioOptions {
  scenarios: Scenario[];
  kinds: ProbeKind[];
  bail: boolean;
  signal: AbortSignal;
  hooks: ContextHooks;
  /**
   * --scenario-timeout: how long a variant may run (a race: beyond its --duration) before the watchdog
   * interrupts it and it is TIMEOUT; 60 s when absent (src/runner/timeout.ts).
   */
  scenarioTimeoutMs?: number;
  /** Known kernel bugs (--expect): judged after each variant, so live output already says XFAIL. */
  expect?: ExpectationOptions;
  /** Known bugs a FAIL or XFAIL is named by (kernel/known-bugs.json); without them nothing is named. */
  knownBugs?: readonly KnownBug[];
  /** Called as each variant finishes (live output). */
  onResult?(r: ScenarioResult): void;
  onStart?(name: string, scenario: Scenario): void;
  /** --repro-dir (absolute, checked writable): each FAIL gets a C reproducer there (src/repro/). */
  reproDir?: string;
  /** --repeat: which iteration this suite is (reproducer files carry it). */
  iteration?: number;
}

export interface ExpectationOptions {
  entries: readonly ExpectEntry[];
  /** Run what the --expect files' skip entries say not to run here (--ignore-skips); those entries then act as flaky. */
  ignoreSkips?: boolean;
  /** Run the known crashers on a kernel that carries their bug (--run-known-crashers; `vm` guests); judged as flaky. */
  runKnownCrashers?: boolean;
}

export function unmet(tracefs: Tracefs, scenario: Scenario, kind: ProbeKind): string | undefined {
  const excluded = kindExclusion(scenario, kind);
  if (excluded) return excluded;
  for (const f of [KIND_FEATURE[kind], ...scenario.requires]) {
    if (!tracefs.features.has(f)) return unavailableReason(f);
  }
  return undefined;
}

/** The report's env block; also the journal's start record (before any health notes exist). */
export function runEnvironment(tracefs: Tracefs, notes: readonly string[] = []): RunEnvironment {
  return {
    kernel: { release: tracefs.kernel.release, version: tracefs.kernel.version, machine: tracefs.kernel.machine },
    tracefs: tracefs.root,
    features: [...tracefs.features].sort(),
    ...(process.env.TRACEFS_REGRESS_ACCEL ? { accelerator: process.env.TRACEFS_REGRESS_ACCEL } : {}),
    hostname: os.hostname(),
    ...(notes.length ? { notes: [...notes] } : {}),
    ...withConfig(reportedConfig(tracefs.kernel.configSource, tracefs.kernel.config)),
  };
}

const withConfig = (config: RunEnvironment['config']) => (config ? { config } : {});

/** Why the rest of the plan will not run: the result each remaining variant gets. */
interface Stop {
  notRun: NotRun;
  reason: string;
}

/** "SIGTERM", or what else the signal was aborted with. */
function abortReason(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'an abort';
}

export async function runSuite(tracefs: Tracefs, opts: SuiteOptions): Promise<RunReport> {
  const started = Date.now();
  const owner = new Ownership(tracefs.root, onTeardown);
  const health = startHealthWatch();
  const results: ScenarioResult[] = [];
  let interrupted: string | undefined;
  // Every planned variant gets a result, run or not, so a report's plan (KTAP's 1..N) is the whole selection.
  let stop: Stop | undefined;
  try {
    for (const scenario of opts.scenarios) {
      for (const kind of opts.kinds) {
        // A scenario that never waits on I/O resolves in microtasks only, and a
        // signal is a macrotask: without this, ^C during quick variants (a
        // --repeat of them above all) would not be seen until the run ended.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!stop && opts.signal.aborted) {
          interrupted = abortReason(opts.signal);
          stop = { notRun: 'interrupted', reason: `not run: interrupted by ${interrupted}` };
        }
        if (stop) {
          results.push(notRunResult(tracefs, scenario, kind, opts, stop));
          continue;
        }
        const r = await runVariant(tracefs, scenario, kind, owner, health, opts);
        // Cut short: its verdict covers only the time before the signal (a race's cycles say how much).
        if (opts.signal.aborted) r.cutShort = abortReason(opts.signal);
        results.push(r);
        opts.onResult?.(r);
        if (opts.bail && isFailing(r.status)) {
          interrupted = `--bail after ${r.name}`;
          stop = { notRun: 'bail', reason: `not run: --bail after ${r.name} failed` };
        }
      }
    }
  } finally {
    owner.close();
    health.close();
  }
  if (!interrupted && opts.signal.aborted) interrupted = abortReason(opts.signal);
  return {
    tool: { name: 'tracefs-regress', version: toolVersion() },
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    env: runEnvironment(tracefs, [...owner.notes, ...health.notes]),
    results,
    ...(interrupted ? { interrupted } : {}),
  };
}

function resultBase(scenario: Scenario, kind: ProbeKind): VariantBase {
  return {
    name: `${scenario.id}[${kind}]`,
    scenario: scenario.id,
    kind,
    title: scenario.title,
    references: scenario.references,
  };
}

/** The SKIP a variant gets without running (a requirement this kernel lacks, an --expect skip entry), if any. */
function preflight(
  tracefs: Tracefs,
  scenario: Scenario,
  kind: ProbeKind,
  opts: SuiteOptions,
): ScenarioResult | undefined {
  const base = resultBase(scenario, kind);
  const skip = unmet(tracefs, scenario, kind);
  if (skip) return { ...base, status: 'UNSUPPORTED', reason: skip, evidence: [], checks: 0, durationMs: 0 };
  const release = tracefs.kernel.release;
  const known = opts.expect ? skipEntryFor(opts.expect.entries, scenario.id, kind, release, opts.expect) : undefined;
  // Checked before anything is created: such a variant would crash this kernel.
  return known ? skippedResult(base, known, release) : undefined;
}

/** The variants of this selection each known crasher keeps from running on this kernel (for the run's notice). */
export function crasherSkips(
  tracefs: Tracefs,
  scenarios: readonly Scenario[],
  kinds: readonly ProbeKind[],
  expect: ExpectationOptions,
): Map<Crasher, string[]> {
  const out = new Map<Crasher, string[]>();
  for (const s of scenarios)
    for (const k of kinds) {
      if (unmet(tracefs, s, k)) continue;
      const c = skipEntryFor(expect.entries, s.id, k, tracefs.kernel.release, expect)?.crasher;
      if (c) out.set(c, [...(out.get(c) ?? []), `${s.id}[${k}]`]);
    }
  return out;
}

/**
 * A variant the run stopped before: UNRESOLVED "not run: ..." (its SKIP if it
 * would not have run here anyway), so reports count it and the plan stays whole.
 */
export function notRunResult(
  tracefs: Tracefs,
  scenario: Scenario,
  kind: ProbeKind,
  opts: SuiteOptions,
  stop: Stop,
): ScenarioResult {
  return (
    preflight(tracefs, scenario, kind, opts) ?? {
      ...resultBase(scenario, kind),
      status: 'UNRESOLVED',
      reason: stop.reason,
      evidence: [],
      checks: 0,
      durationMs: 0,
      notRun: stop.notRun,
    }
  );
}

async function runVariant(
  tracefs: Tracefs,
  scenario: Scenario,
  kind: ProbeKind,
  owner: Ownership,
  health: HealthWatch,
  opts: SuiteOptions,
): Promise<ScenarioResult> {
  const skipped = preflight(tracefs, scenario, kind, opts);
  if (skipped) return skipped;
  const base = resultBase(scenario, kind);
  const name = base.name;

  opts.onStart?.(name, scenario);
  // --repro-dir: the scenario's own calls, through its ctx.sys (the race engine's threads make theirs natively).
  const recorder: Recorder | undefined =
    opts.reproDir && !scenario.race ? recorderFor(tracefs.root, owner.group, kind) : undefined;
  const ctx = new VariantContext(
    tracefs,
    kind,
    opts,
    opts.signal,
    owner,
    opts.hooks,
    recorder ? { sys: recorder.wrap(native), onJudged: recorder.onJudged } : { sys: native },
  );
  const t0 = performance.now();
  health.snapshot();
  const limitMs = variantTimeoutMs(scenario, opts);
  let outcome: VariantFacts['outcome'];
  // Armed around the scenario only: once it is back, its fds are closed and its objects removed unwatched.
  const watch = watchOrWhyNot(limitMs, name);
  let recording: Recording | undefined;
  try {
    outcome = (await untilAbandoned(scenario.run(ctx), limitMs + ABANDON_AFTER_MS)) ?? 'abandoned';
  } catch (e) {
    outcome = thrownOutcome(e as Error);
  } finally {
    recording = recorder?.stop();
    if (typeof watch !== 'string') watch.disarm();
  }
  const leftovers = ctx.finish();
  const facts: VariantFacts = {
    base,
    outcome,
    durationMs: Math.round(performance.now() - t0),
    limitMs,
    watchdog: typeof watch === 'string' ? watch : watch.disarm(),
    leftovers,
    health: health.delta(),
    ...(opts.expect ? { expect: opts.expect.entries } : {}),
    ...(opts.knownBugs ? { knownBugs: opts.knownBugs } : {}),
    kernel: { release: tracefs.kernel.release, version: tracefs.kernel.version },
  };
  const draft = judgeVariant(facts, 'reproducer');
  if (opts.reproDir && draft.status === 'FAIL') {
    // Not the draft itself: writeReproducer appends to a result's notes, and those are the judge's to place.
    const { notes: _judged, ...rest } = draft;
    const scratch: ScenarioResult = rest;
    const written = await writeReproducer(scratch, {
      dir: opts.reproDir,
      scenario,
      kind,
      ...(recording ? { recording } : {}),
      kernel: { release: tracefs.kernel.release, version: tracefs.kernel.version },
      options: { durationMs: opts.durationMs, threads: opts.threads },
      signal: opts.signal,
      ...(opts.iteration !== undefined ? { iteration: opts.iteration } : {}),
    });
    facts.reproducer = { notes: scratch.notes ?? [], ...(written ? { written } : {}), replays: health.delta() };
  }
  return judgeVariant(facts);
}

/** What a scenario that threw came to: its setup's verdict, the tool's fault, or UNRESOLVED with the error. */
function thrownOutcome(err: Error): ScenarioOutcome {
  return err instanceof SetupError
    ? err.outcome()
    : err instanceof ToolFaultError
      ? { status: 'UNRESOLVED', reason: faultReason(err.fault), fault: err.fault, evidence: [], checks: 0 }
      : { status: 'UNRESOLVED', reason: `${err.name}: ${err.message}`, evidence: [], checks: 0 };
}

/** The watchdog armed for this variant, or why it could not be (an old prebuilt addon, no free signal). */
function watchOrWhyNot(limitMs: number, name: string): Watch | string {
  try {
    return armWatchdog(limitMs, name);
  } catch (e) {
    return `no scenario timeout: the watchdog could not be armed (${(e as Error).message})`;
  }
}
