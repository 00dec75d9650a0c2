// Runs the selected scenario variants one after another, each wrapped in the
// kernel-health oracle, and gathers a RunReport.
import os from 'node:os';
import { startHealthWatch, type HealthWatch } from '../health/index.js';
import { Ownership } from '../probes/ownership.js';
import type { ProbeKind, Feature } from '../model.js';
import { KIND_FEATURE } from '../tracefs/features.js';
import { isFailing, type NotRun, type RunEnvironment, type RunReport, type ScenarioResult } from '../report/types.js';
import { type HealthDelta } from '../health/types.js';
import { applyToResult, skipEntryFor, skippedResult } from '../expect/apply.js';
import { nameResult } from '../expect/naming.js';
import type { KnownBug } from '../expect/types.js';
import type { Crasher, ExpectEntry } from '../expect/types.js';
import type { Scenario, ScenarioOptions, ScenarioOutcome } from '../scenarios/types.js';
import type { Tracefs } from '../tracefs/types.js';
import { SetupError } from '../scenarios/expect.js';
import { faultReason, ToolFaultError } from '../tool-fault.js';
import { kindExclusion } from '../scenarios/applies.js';
import { VariantContext, type ContextHooks } from './context.js';
import { toolVersion } from '../package.js';
import { reportedConfig } from '../report/config.js';
import { onTeardown } from './teardown.js';
import { armWatchdog, native, type Watch } from '../native/index.js';
import { ABANDON_AFTER_MS, applyTimeout, untilAbandoned, variantTimeoutMs } from './timeout.js';
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
  expect?: ExpectOptions;
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

export interface ExpectOptions {
  entries: readonly ExpectEntry[];
  /** Run what the --expect files' skip entries say not to run here (--ignore-skips); those entries then act as flaky. */
  ignoreSkips?: boolean;
  /** Run the known crashers on a kernel that carries their bug (--run-known-crashers; `vm` guests); judged as flaky. */
  runKnownCrashers?: boolean;
}

const FEATURE_TEXT: Record<Feature, string> = {
  kprobe_events: 'kprobe_events not available in this kernel (CONFIG_KPROBE_EVENTS)',
  uprobe_events: 'uprobe_events not available in this kernel (CONFIG_UPROBE_EVENTS)',
  dynamic_events: 'dynamic_events not available in this kernel (CONFIG_DYNAMIC_EVENTS)',
  synthetic_events: 'synthetic_events not available in this kernel (CONFIG_SYNTH_EVENTS)',
  fprobe_events: 'fprobe events not available in this kernel (CONFIG_FPROBE_EVENTS)',
  eprobe_events: 'eprobe events not available in this kernel (CONFIG_EPROBE_EVENTS)',
  instances: 'tracefs has no instances/ directory',
  drop_caches: '/proc/sys/vm/drop_caches is not writable',
};

export function unmet(tracefs: Tracefs, scenario: Scenario, kind: ProbeKind): string | undefined {
  const excluded = kindExclusion(scenario, kind);
  if (excluded) return excluded;
  for (const f of [KIND_FEATURE[kind], ...scenario.requires]) {
    if (!tracefs.features.has(f)) return FEATURE_TEXT[f];
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

type ResultBase = Pick<ScenarioResult, 'name' | 'scenario' | 'kind' | 'title' | 'references'>;

function resultBase(scenario: Scenario, kind: ProbeKind): ResultBase {
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
  expect: ExpectOptions,
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
  const release = tracefs.kernel.release;

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
  let out: ScenarioOutcome;
  let abandoned = false;
  // Armed around the scenario only: once it is back, its fds are closed and its objects removed unwatched.
  const watch = watchOrWhyNot(limitMs, name);
  let recording: Recording | undefined;
  try {
    const o = await untilAbandoned(scenario.run(ctx), limitMs + ABANDON_AFTER_MS);
    abandoned = o === undefined;
    const why = `did not return within ${(limitMs + ABANDON_AFTER_MS) / 1000} s: abandoned`;
    out = o ?? { status: 'UNRESOLVED', reason: why, evidence: [], checks: 0 };
  } catch (e) {
    const err = e as Error;
    out =
      err instanceof SetupError
        ? err.outcome()
        : err instanceof ToolFaultError
          ? { status: 'UNRESOLVED', reason: faultReason(err.fault), fault: err.fault, evidence: [], checks: 0 }
          : { status: 'UNRESOLVED', reason: `${err.name}: ${err.message}`, evidence: [], checks: 0 };
  } finally {
    recording = recorder?.stop();
    if (typeof watch !== 'string') watch.disarm();
  }
  const left = ctx.finish();
  const durationMs = Math.round(performance.now() - t0);
  const delta = health.delta();
  const result: ScenarioResult = { ...base, ...out, durationMs, health: delta };
  if (typeof watch === 'string') result.notes = [...(result.notes ?? []), watch];
  else applyTimeout(result, limitMs, watch.disarm(), abandoned);
  if (left.length) {
    // A FAIL stays a FAIL (what the kernel did wrong may be why cleanup failed); a PASS can't stand.
    const why = `could not remove: ${left.join('; ')}`;
    if (result.status === 'PASS') {
      result.status = 'UNRESOLVED';
      result.reason = why;
    } else {
      result.notes = [...(result.notes ?? []), why];
    }
  }
  if (out.status === 'PASS' && out.checks === 0 && !result.timeout) {
    result.status = 'UNRESOLVED';
    result.reason = 'the scenario checked nothing';
  }
  if (!delta.ok) applyHealth(result, delta);
  if (opts.reproDir && result.status === 'FAIL') {
    await writeReproducer(result, {
      dir: opts.reproDir,
      scenario,
      kind,
      ...(recording ? { recording } : {}),
      kernel: { release: tracefs.kernel.release, version: tracefs.kernel.version },
      options: { durationMs: opts.durationMs, threads: opts.threads },
      signal: opts.signal,
      ...(opts.iteration !== undefined ? { iteration: opts.iteration } : {}),
    });
    // The minimiser replayed the failing steps: what the kernel said meanwhile belongs to this
    // FAIL, not to the next variant (whose window would otherwise open on it: a health-only
    // mutant made every later variant FAIL that way).
    const replays = healthParts(health.delta());
    if (replays.length)
      result.notes = [...(result.notes ?? []), `while its reproducer was made: ${replays.join(', ')}`];
  }
  // An oops or a warning says more than the hang it may have caused: FAIL, with the timeout as a note.
  if (result.timeout && result.status === 'FAIL')
    result.notes = [...(result.notes ?? []), result.reason ?? 'timed out'];
  const judged = opts.expect ? applyToResult(result, opts.expect.entries, release) : result;
  return opts.knownBugs ? nameResult(judged, opts.knownBugs, release, tracefs.kernel.version) : judged;
}

/** The watchdog armed for this variant, or why it could not be (an old prebuilt addon, no free signal). */
function watchOrWhyNot(limitMs: number, name: string): Watch | string {
  try {
    return armWatchdog(limitMs, name);
  } catch (e) {
    return `no scenario timeout: the watchdog could not be armed (${(e as Error).message})`;
  }
}

/** What a health delta saw, as the evidence and notes quote it; empty when nothing changed. */
function healthParts(delta: HealthDelta): string[] {
  const parts: string[] = [];
  if (delta.oopsCount && delta.oopsCount.after > delta.oopsCount.before)
    parts.push(`oops_count ${delta.oopsCount.before}->${delta.oopsCount.after}`);
  if (delta.warnCount && delta.warnCount.after > delta.warnCount.before)
    parts.push(`warn_count ${delta.warnCount.before}->${delta.warnCount.after}`);
  if (delta.taint && delta.taint.after !== delta.taint.before)
    parts.push(`taint ${delta.taint.before}->${delta.taint.after} (${delta.taint.letters})`);
  if (delta.kernelLines.length) parts.push(`${delta.kernelLines.length} kernel log lines`);
  return parts;
}

function applyHealth(result: ScenarioResult, delta: HealthDelta): void {
  const parts = healthParts(delta);
  result.status = 'FAIL';
  result.evidence = [
    ...result.evidence,
    {
      op: 'kernel health',
      path: '/dev/kmsg',
      expected: 'no oops, warning, new taint or kernel report',
      got: parts.join(', ') || 'unhealthy',
      detail: delta.kernelLines.join('\n'),
    },
  ];
}
