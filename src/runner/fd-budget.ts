// SPDX-License-Identifier: GPL-2.0-only
// Refuses, before tracefs is touched, a run whose race variants could not
// hold their fds at --threads: out of fds mid-run a worker sees EMFILE where
// the kernel owes ENOENT. The per-race figure is the engine's own
// (native raceFdsNeeded: its held rings, op and controller fds); the engine
// checks again at each race's start.
import fs from 'node:fs';
import { EnvironmentError } from '../errors.js';
import { native } from '../native/index.js';
import { fdFixLine } from '../race/fault.js';
import type { RaceConfig } from '../race/types.js';
import type { RacePlan, Scenario } from '../scenarios/types.js';

/**
 * fds the run opens after this check beside the engine's: the tracefs root,
 * the lease, /dev/kmsg, the health counters, --output/--journal, a scenario's
 * own. Measured (node 20, host 6.18): 19 open here, 23 at a race's start
 * (the engine's fdBudget.open), 25 with --journal and --output; twice the
 * largest difference.
 */
export const RUN_FDS = 12;

/** fds open in this process now. */
export function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length - 1;
}

/** RLIMIT_NOFILE's soft limit, from /proc/self/limits; undefined when unlimited or unreadable. */
export function fdLimit(limits = readLimits()): number | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(limits);
  return m && m[1] !== 'unlimited' ? Number(m[1]) : undefined;
}

function readLimits(): string {
  try {
    return fs.readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return '';
  }
}

/**
 * A race of this plan with placeholder paths: what the engine counts is how
 * many dir targets, control files kept open and rings there are, not where.
 */
export function planConfig(plan: RacePlan): RaceConfig {
  const { target, sibling, ...knobs } = plan;
  // The event's dir, and its group's unless a sibling keeps the group (race-kit.ts eventTargets).
  const dirs = target === 'event' && sibling ? ['/e'] : ['/e', '/g'];
  const control = { kind: 'write' as const, path: '/control', line: 'x', keepOpen: true };
  return {
    ...knobs,
    create: target === 'event' ? [control] : [{ kind: 'mkdir', path: '/i' }],
    remove: target === 'event' ? [control] : [{ kind: 'rmdir', path: '/i' }],
    files: ['/e/enable'],
    enable: '/e/enable',
    dirs: dirs.map((path) => ({ path, names: ['enable'] })),
    list: { dir: '/g', name: 'e' },
  };
}

/** The largest need of the selected race scenarios at `threads`, and the scenario needing it. */
export function raceFdNeed(scenarios: readonly Scenario[], threads: number): { need: number; plan?: RacePlan } {
  let worst: { need: number; plan?: RacePlan } = { need: 0 };
  for (const s of scenarios) {
    if (!s.racePlan) continue;
    const need = native.raceFdsNeeded(planConfig(s.racePlan), threads);
    if (need > worst.need) worst = { need, plan: s.racePlan };
  }
  return worst;
}

/** Throws an EnvironmentError naming the fds needed and the fix when the fd limit is too low. */
export function checkFdBudget(scenarios: readonly Scenario[], threads: number, limit = fdLimit()): void {
  if (limit === undefined) return;
  const { need, plan } = raceFdNeed(scenarios, threads);
  if (!plan) return;
  const base = openFds() + RUN_FDS;
  if (base + need <= limit) return;
  let fit = 0;
  for (let t = threads - 1; t >= 1 && !fit; t--) if (base + native.raceFdsNeeded(planConfig(plan), t) <= limit) fit = t;
  throw new EnvironmentError(
    `the race scenarios need ${base + need} fds with --threads ${threads} (${need} for the race, ${base} for the rest), ` +
      `but the fd limit is ${limit}: ${fdFixLine(base + need, fit)}`,
  );
}
