// SPDX-License-Identifier: GPL-2.0-only
// A program's concurrent phase: one race-engine config (src/native/race-params.ts)
// built from the world, on one of its events. The engine judges every op
// with its own present/absent/transition rules: concurrency gets no second
// model. Paths are templates until the executor expands them.
import type { RaceAction as EngineAction, RaceConfig, RaceWeights } from '../race/types.js';
import type { RaceAction } from './types.js';
import type { Rng } from './types.js';
import {
  controlFile,
  createLine,
  eventDir,
  eventName,
  groupDir,
  removeLine,
  slotKind,
  type Scope,
  type Slot,
  type World,
} from './world.js';

/** Weights a race may use on a host kernel: no getdents (the 6.18.y eventfs_iterate oops). */
const SAFE_WEIGHTS = ['openRead', 'enableWrite', 'stat', 'openat', 'fstatat', 'heldWrite'] as const;

/** What the generator knows of the world when it adds a race: the raced slot is absent then. */
export interface RaceSite {
  slot: Slot;
  /** Instances that exist: the event's files there are raced too (the removal takes them away). */
  scopes: Scope[];
  /** Another event of the group exists: the group dir outlives each removal. */
  groupStays: boolean;
}

export function raceAction(w: World, rng: Rng, site: RaceSite): RaceAction {
  const { slot } = site;
  const f = w.flags;
  const ctl = (line: string, onBusy?: EngineAction[]): EngineAction => ({
    kind: 'write',
    path: controlFile(slotKind(w, slot)),
    line,
    flags: f.O_WRONLY | f.O_APPEND,
    keepOpen: true,
    ...(onBusy ? { onBusy } : {}),
  });
  const dir = eventDir('', slot);
  // The disable that lets a removal through (race/actions.ts disableAction): in each scope.
  const disable = site.scopes.map((s): EngineAction => ({
    kind: 'write',
    path: `${eventDir(s, slot)}/enable`,
    line: '0',
    flags: f.O_WRONLY,
  }));
  const files = site.scopes.flatMap((s) => w.files.map((x) => `${eventDir(s, slot)}/${x}`));
  const dirs: NonNullable<RaceConfig['dirs']> = [{ path: dir, names: w.files }];
  if (!site.groupStays)
    dirs.push({ path: groupDir('', slot.g), names: [`${eventName(slot.e)}/enable`, eventName(slot.e)] });
  const weights: RaceWeights = {};
  for (const k of SAFE_WEIGHTS) if (rng.chance(0.6)) weights[k] = 1 + rng.int(4);
  if (Object.keys(weights).length === 0) weights.openRead = 1;
  const config: { -readonly [K in keyof RaceConfig]: RaceConfig[K] } = {
    threads: 2 + rng.int(3),
    durationMs: 500 + 500 * rng.int(5),
    maxCycles: 20 + rng.int(200),
    progressMs: 0,
    create: [ctl(createLine(w, slot))],
    remove: [ctl(removeLine(slot), disable)],
    files,
    enable: `${dir}/enable`,
    dirs,
    heldDirfds: 1 + rng.int(16),
    dwellPresentUs: rng.pick([0, 20, 50, 200]),
    dwellAbsentUs: rng.pick([0, 20, 50, 200]),
    weights,
  };
  if (rng.chance(0.3)) {
    // The busy check needs nobody else writing enable: the engine exempts enableWrite but not heldWrite,
    // and a held fd of the live generation writing 0 lets the removal through (seen on 6.18.44, seed 1011).
    config.busyCheckEvery = 1 + rng.int(10);
    delete weights.enableWrite;
    delete weights.heldWrite;
    if (Object.keys(weights).length === 0) weights.openRead = 1;
  }
  if (w.unsafeRaces) {
    // getdents of the group racing removal (CVE-2024-46785, mutants 05 and 06) and drop_caches: guests only.
    if (rng.chance(0.7)) {
      config.list = { dir: groupDir('', slot.g), name: eventName(slot.e) };
      weights.getdents = 1 + rng.int(4);
    }
    if (rng.chance(0.3)) config.dropCachesEvery = 1 + rng.int(20);
  }
  return { kind: 'race', config };
}

/** Whether a race touches what must never race on a host kernel (getdents, drop_caches). */
export function unsafeOnHost(c: RaceConfig): string | undefined {
  if (c.list) return 'it lists a dir (getdents racing removal oopses 6.18.y)';
  if (c.weights === undefined) return 'it uses the default op mix (which has getdents)';
  if (c.weights.getdents) return 'it weights getdents';
  if (c.dropCachesEvery || (c.dropCachesIntervalMs ?? -1) >= 0) return 'it writes drop_caches';
  return undefined;
}

/** The raced event (group/event template) of a race action built here. */
export function racedKey(c: RaceConfig): string | undefined {
  const a = c.create[0];
  const m = a && a.kind === 'write' ? /^[prfe]:(\{id\}_g\d+\/e\d+) /.exec(a.line) : null;
  return m?.[1];
}

/**
 * A race config fitted to the state it runs in (a mutation may have moved
 * it): the group dir is held as a stale dir only when the raced event is
 * the group's last (else it outlives each removal and its dirfds stay
 * live), and files of instances that do not exist now are left out (the
 * engine would judge their ENOENT in the present phase).
 */
export function fitRace(c: RaceConfig, now: { groupStays: boolean; liveInstances: ReadonlySet<string> }): RaceConfig {
  const instanceOf = (p: string) => /^\{root\}\/instances\/([^/]+)\//.exec(p)?.[1];
  const live = (p: string) => {
    const i = instanceOf(p);
    return i === undefined || now.liveInstances.has(i);
  };
  const groupDirOnly = /^\{root\}\/events\/[^/]+$/;
  return {
    ...c,
    files: (c.files ?? []).filter(live),
    dirs: (c.dirs ?? []).filter((d) => live(`${d.path}/`) && !(now.groupStays && groupDirOnly.test(d.path))),
  };
}
