// SPDX-License-Identifier: GPL-2.0-only
// The scenario model: one scenario per file, metadata at the top (like
// ftracetest's .tc headers), a run function that returns evidence.
import type { Probe } from '../probes/types.js';
import type { Evidence, Feature, OnTeardown, ProbeKind, Status, ToolFault } from '../model.js';
import type { Tracefs } from '../tracefs/types.js';
import type { RaceConfig, RaceStats, RaceSummary } from '../race/types.js';
import type { Sys } from '../native/index.js';
import type { Checks } from './checks.js';

/**
 * Test hooks: passed in as options by tests (a guest's run gets them through
 * src/vm/guest/token.ts only), never read from the environment; a user's run has none.
 */
export interface ScenarioTestHooks {
  /**
   * The checks whose op equals this (or, given as `#N`, the N-th check of each
   * scenario) are inverted (`fails` wants success, `succeeds` wants an error),
   * so a correct kernel's own result is a violation a reproducer can be proven on
   * (test/live/repro.test.ts).
   */
  invertCheck?: string;
}

/** How Checks judged a result (src/scenarios/checks.ts). */
export type JudgedCheck =
  | { kind: 'errno'; codes: string[] }
  | { kind: 'success' }
  /** Any failure (a test hook's inverted `succeeds`). */
  | { kind: 'error' }
  /** exp.that(): a condition only the scenario knows. */
  | { kind: 'that' };

/** Sees each failed expectation with the result it judged (undefined for exp.that): a recording ties it to a call. */
export type JudgeHook = (ev: Evidence, check: JudgedCheck, result: unknown) => void;

export interface ScenarioOptions {
  /** Per race scenario, milliseconds. */
  durationMs: number;
  /** Race worker threads. */
  threads: number;
  /**
   * May a scenario remount tracefs (perm-remount-gid)? Every process using
   * tracefs sees the remount until it is undone: off on a live box unless
   * --allow-remount, on by default in the VM runner's guest.
   */
  allowRemount?: boolean;
  /** Registers an undo step that also runs on SIGINT/SIGTERM (runner/teardown.ts); a scenario undoes its own work in any case. */
  onTeardown?: OnTeardown;
  testHooks?: ScenarioTestHooks;
}

export interface ScenarioContext {
  readonly tracefs: Tracefs;
  readonly kind: ProbeKind;
  readonly options: ScenarioOptions;
  readonly signal: AbortSignal;
  /**
   * Every system call the scenario makes, errno as data: pass it to the
   * helpers too (readText(ctx.sys, ...)). Under run --repro-dir a recorder
   * (src/repro/record.ts) wraps it.
   */
  readonly sys: Sys;
  /** A new Checks that reports to this run's recording and honours its test hooks. */
  checks(): Checks;
  /** A new event of this context's kind in the run's own group (a fresh event name each call). */
  newProbe(opts?: { group?: string }): Probe;
  /** Absolute path of a fresh instance (instances/tfsr_...), not yet created: mkdir it yourself. Removed at cleanup if present. */
  newInstance(): string;
  /** Keeps fd open until the scenario ends, then closes it (before probes and instances are removed). */
  hold(fd: number): number;
  /** Human progress and diagnostics (verbose mode / TTY progress line). */
  log(msg: string): void;
  progress(line: string): void;
}

export interface ScenarioOutcome {
  status: Status;
  /** Why, for UNSUPPORTED and UNRESOLVED. */
  reason?: string;
  evidence: Evidence[];
  /** How many expectations were checked (a PASS with 0 checks is a defect). */
  checks: number;
  /** Race scenarios: the engine's statistics. */
  stats?: RaceStats;
  /** Race scenarios: how hard the race tried (cycles, ops, whether workers could overlap). */
  race?: RaceSummary;
  notes?: string[];
  /** The tool's own failure stopped it (status UNRESOLVED): not a verdict on the kernel. */
  fault?: ToolFault;
}

export type ScenarioFlag = 'own-group';

export interface Scenario {
  id: string;
  title: string;
  description: string;
  requires: Feature[];
  /** Upstream commits / CVEs this guards against. */
  references: string[];
  /** Probe kinds this scenario cannot be run with (e.g. synthetic has no instance files). */
  excludeKinds?: ProbeKind[];
  /**
   * What the scenario needs of a kind beyond the kernel's features (ftracetest's `# flags:`).
   * 'own-group': a group only this variant's events are in, e.g. one a sibling event keeps
   * alive; kinds with a fixed group (synthetic) are SKIP for it (scenarios/applies.ts).
   */
  flags?: ScenarioFlag[];
  /** A race scenario (uses the native race engine; honours --duration and --threads). */
  race?: boolean;
  /** Race scenarios: what the race does, as data (the C reproducer, src/repro/race.ts, is built from it). */
  racePlan?: RacePlan;
  run(ctx: ScenarioContext): Promise<ScenarioOutcome>;
}

/**
 * A race scenario's shape without its paths (they come from the probe the
 * run creates): what is raced (the event itself, or an instance holding it),
 * and the engine's knobs (weights, dwell, drop_caches, held dirfds, ...).
 */
export type RacePlan = Omit<
  RaceConfig,
  'create' | 'remove' | 'files' | 'enable' | 'dirs' | 'list' | 'threads' | 'durationMs' | 'progressMs'
> & {
  /** 'event': the controller creates and removes the event; 'instance': the event stays, an instance comes and goes. */
  target: 'event' | 'instance';
  /** A second event keeps the group alive for the whole race (race-kit.ts). */
  sibling?: boolean;
};
