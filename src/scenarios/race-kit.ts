// SPDX-License-Identifier: GPL-2.0-only
// What every race scenario shares: learning the event's files, building the
// create/remove actions from the probe lifecycle, running the engine with
// the context's duration, threads, signal and progress, and turning the
// statistics into a scenario outcome with one evidence item per violation.
import { isErr, listDir, type Sys } from '../native/index.js';
import type { Probe } from '../probes/types.js';
import { SetupError } from './checks.js';
import type { Scenario, ScenarioContext, ScenarioOutcome } from './types.js';
import type { Evidence, ToolFault } from '../model.js';
import { faultReason, throwIfToolErrno } from '../tool-fault.js';
import { raceFault } from '../race/fault.js';
import { controlAction, disableAction } from '../race/actions.js';
import { runRace } from '../race/engine.js';
import { progressLine, summaryLines } from '../race/format.js';
import { raceSummary, thisHost, type RaceHost } from '../race/overlap.js';
import type { RaceAction, RaceConfig, RaceStats, Violation } from '../race/types.js';

/** Files every kprobe/uprobe event has; hist only with CONFIG_HIST_TRIGGERS. */
const BASE_FILES = ['enable', 'filter', 'format', 'id', 'trigger'];

export type RaceShape = Omit<RaceConfig, 'threads' | 'durationMs' | 'progressMs'>;

export { SetupError };

/**
 * Creates the event once, lists its dir and removes it again: the race then
 * uses exactly the files this kernel gives the event, and a kind that cannot
 * be created fails here, before any thread starts.
 */
export function discoverFiles(sys: Sys, probe: Probe): string[] {
  const add = probe.add();
  throwIfToolErrno(`create ${probe.create.line}`, add);
  if (isErr(add)) throw new SetupError(`create ${probe.create.line}: ${add.code}`);
  const names = listDir(sys, probe.eventDir);
  const del = probe.delete();
  throwIfToolErrno(`remove ${probe.remove.line}`, del);
  if (isErr(del)) throw new SetupError(`remove ${probe.remove.line}: ${del.code}`);
  throwIfToolErrno(`list ${probe.eventDir}`, names);
  if (isErr(names)) throw new SetupError(`getdents64 ${probe.eventDir}: ${names.code}`);
  return names.length ? names : BASE_FILES;
}

/**
 * The event's paths as race targets: its files, enable, held dirfds and the
 * group listing. A group kept alive by a sibling is not a stale dir after a
 * removal, so no dirfds are held on it then.
 */
function eventTargets(
  probe: Probe,
  files: string[],
  groupStays: boolean,
): Pick<RaceConfig, 'files' | 'enable' | 'dirs' | 'list'> {
  const dirs: RaceConfig['dirs'] = [{ path: probe.eventDir, names: files }];
  if (groupVanishes(probe) && !groupStays)
    dirs.push({ path: probe.groupDir, names: [`${probe.event}/enable`, probe.event] });
  return {
    files: files.map((f) => `${probe.eventDir}/${f}`),
    enable: `${probe.eventDir}/enable`,
    dirs,
    list: { dir: probe.groupDir, name: probe.event },
  };
}

/** Create = the definition line; remove = its removal line, disabling and retrying on EBUSY. */
function probeActions(probe: Probe): { create: RaceAction[]; remove: RaceAction[] } {
  return {
    create: [controlAction(probe.create)],
    remove: [controlAction(probe.remove, [disableAction(`${probe.eventDir}/enable`)])],
  };
}

/** What the file at the top of a race scenario says about it. */
export type RaceMeta = Omit<Scenario, 'run' | 'race' | 'racePlan'>;

/** How a race on one event runs; its targets and actions come from the probe. */
export type ProbeRaceShape = Omit<RaceShape, 'create' | 'remove' | 'files' | 'enable' | 'dirs' | 'list'> & {
  /**
   * Keep a second event in the group for the whole race, created first: the
   * raced event is then the last of a list that outlives it, so a listing
   * standing on it at its removal must step on to the group's list head, not
   * stop because the group itself went away (CVE-2024-46785's shape, a
   * `tree events/kprobes/` over many probes).
   */
  sibling?: boolean;
};

/**
 * A race on one event of the context's kind: the engine creates and removes
 * it in a loop while workers hit its files, dirs and group listing, as
 * `shape` says (weights, dwell, drop_caches, held dirfds, a sibling).
 */
export function probeRaceScenario(meta: RaceMeta, shape: ProbeRaceShape): Scenario {
  const { sibling, ...race } = shape;
  return {
    ...meta,
    race: true,
    racePlan: { target: 'event', ...shape },
    async run(ctx) {
      const { sys } = ctx;
      const probe = ctx.newProbe();
      const files = discoverFiles(sys, probe);
      // The context's cleanup removes the sibling with the rest of the run's probes.
      if (sibling) {
        const keep = ctx.newProbe({ group: probe.group });
        const add = keep.add();
        if (isErr(add)) throw new SetupError(`create sibling ${keep.create.line}: ${add.code}`);
      }
      const targets = eventTargets(probe, files, !!sibling);
      return runRaceScenario(ctx, meta.id, [probe], { ...probeActions(probe), ...targets, ...race });
    },
  };
}

/**
 * The group dir vanishes with its last event, except for synthetic events,
 * whose group 'synthetic' is shared: dirfds on it never go stale.
 */
export function groupVanishes(probe: Probe): boolean {
  return probe.kind !== 'synthetic';
}

export function violationEvidence(v: Violation): Evidence {
  return {
    op: v.op,
    path: v.path,
    expected: v.expected,
    got: v.got,
    detail:
      `${v.rule}; thread ${v.thread}; generation ${v.generationBefore}->${v.generationAfter} ` +
      `(${v.phaseBefore}->${v.phaseAfter}), cycle ${v.cycle}; ${v.startUs.toFixed(1)}-${v.endUs.toFixed(1)} us into the run`,
  };
}

export function raceOutcome(
  label: string,
  stats: RaceStats,
  interrupted: boolean,
  host: RaceHost = thisHost(),
  fault?: ToolFault,
): ScenarioOutcome {
  const notes = summaryLines(label, stats);
  if (stats.violationCount > stats.violations.length)
    notes.push(`${stats.violationCount - stats.violations.length} more violations counted, not kept in full`);
  if (interrupted) notes.push('interrupted: partial statistics');
  const evidence = stats.violations.map(violationEvidence);
  const checks = stats.totalOps + stats.busyChecks;
  const race = raceSummary(stats, host);
  // A violation is the kernel's answer whatever stopped the run (the engine never judges a tool errno).
  if (stats.violationCount > 0) {
    if (fault) notes.push(faultReason(fault));
    return { status: 'FAIL', evidence, checks, stats, race, notes };
  }
  // Out of fds or memory, or a foreign mount: nothing was learnt about the kernel.
  if (fault) return { status: 'UNRESOLVED', reason: faultReason(fault), fault, evidence, checks, stats, race, notes };
  if (stats.error)
    return { status: 'UNRESOLVED', reason: `race stopped: ${stats.error}`, evidence, checks, stats, race, notes };
  if (!interrupted && (stats.cycles === 0 || stats.totalOps === 0))
    return {
      status: 'UNRESOLVED',
      reason: 'the race ran no create/remove cycle or no op',
      evidence,
      checks,
      stats,
      race,
      notes,
    };
  return { status: 'PASS', evidence, checks, stats, race, notes };
}

/**
 * Runs one race for a scenario. `probes` are marked live for the run, so the
 * run's cleanup (SIGINT included) removes them even though the engine, not
 * the lifecycle, creates and removes them.
 */
export async function runRaceScenario(
  ctx: ScenarioContext,
  id: string,
  probes: Probe[],
  shape: RaceShape,
): Promise<ScenarioOutcome> {
  const label = `${id}[${ctx.kind}]`;
  for (const p of probes) p.markLive(true);
  const config: RaceConfig = {
    ...shape,
    threads: ctx.options.threads,
    durationMs: ctx.options.durationMs,
    progressMs: 1000,
  };
  const stats = await runRace(config, {
    signal: ctx.signal,
    onProgress: (p) => ctx.progress(progressLine(label, p)),
  });
  // The engine leaves the event absent when it returns without an error.
  if (!stats.error) for (const p of probes) p.markLive(false);
  return raceOutcome(label, stats, ctx.signal.aborted, thisHost(), raceFault(stats, config, ctx.tracefs.root));
}
