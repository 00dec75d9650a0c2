// SPDX-License-Identifier: GPL-2.0-only
// The program side of `explore` as the loop sees it (types.ts Explorer):
// generate, mutate and execute over one world, built from what this
// kernel's tracefs offers.
import { targetFor } from '../probes/targets.js';
import { freshNames } from '../repro/replay.js';
import type { Names } from '../repro/types.js';
import type { Tracefs } from '../tracefs/types.js';
import { C } from '../native/index.js';
import { execute, type ExecOptions } from './exec.js';
import { generate, GENERATE_DEFAULTS, type GenerateOptions } from './generate.js';
import { mutate } from './mutate.js';
import type { Explorer } from './types.js';
import { defaultWorld, WORLD_KINDS, type World, type WorldKind } from './world.js';

/** Group order: uprobe first (group 1 is every eprobe's base), the eprobe next, so a 3-group world has one. */
const ORDER: readonly WorldKind[] = ['uprobe', 'eprobe', 'kprobe', 'fprobe'];

export interface ExplorerOptions {
  world: World;
  /** The tracefs root and the uprobe site ({target}); each execution gets a fresh run id. */
  names: Names;
  generate?: GenerateOptions;
  runRace?: ExecOptions['runRace'];
}

export function createExplorer(o: ExplorerOptions): Explorer {
  return {
    generate: (rng) => generate(o.world, rng, o.generate ?? GENERATE_DEFAULTS),
    mutate: (p, rng, others) => mutate(o.world, p, rng, others),
    execute: (p, signal) =>
      execute(p, {
        world: o.world,
        names: freshNames(o.names),
        ...(signal ? { signal } : {}),
        ...(o.runRace ? { runRace: o.runRace } : {}),
      }),
  };
}

/**
 * This kernel's world: the kinds it has (uprobe first; synthetic left out),
 * a kernel symbol for kprobes and fprobes, instances when it has them.
 * `unsafeRaces` (getdents and drop_caches in races) is for guests only.
 */
export function worldFor(t: Tracefs, opts: { unsafeRaces: boolean; races?: boolean }): { world: World; names: Names } {
  const kinds = WORLD_KINDS.filter((k) => t.kinds.includes(k)).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  if (!kinds.includes('uprobe')) throw new Error('explore needs uprobe_events (CONFIG_UPROBE_EVENTS)');
  const up = targetFor('uprobe');
  const target = up.kind === 'uprobe' ? `${up.path}:0x${up.offset.toString(16)}` : '';
  let symbol: string | undefined;
  let usable: WorldKind[] = kinds;
  if (kinds.some((k) => k === 'kprobe' || k === 'fprobe')) {
    try {
      const k = targetFor('kprobe');
      if (k.kind === 'kprobe') symbol = k.symbol;
    } catch {
      usable = kinds.filter((k) => k !== 'kprobe' && k !== 'fprobe'); // no probe-able symbol visible
    }
  }
  const world = defaultWorld(
    {
      O_RDONLY: C.O_RDONLY,
      O_WRONLY: C.O_WRONLY,
      O_RDWR: C.O_RDWR,
      O_APPEND: C.O_APPEND,
      O_DIRECTORY: C.O_DIRECTORY,
      O_PATH: C.O_PATH,
      F_OK: C.F_OK,
      SEEK_SET: C.SEEK_SET,
    },
    {
      kinds: usable,
      ...(symbol ? { symbol } : {}),
      groups: Math.max(2, Math.min(4, usable.length)),
      eventsPerGroup: 2,
      instances: t.features.has('instances') ? 2 : 0,
      unsafeRaces: opts.unsafeRaces,
      races: opts.races ?? true,
    },
  );
  return { world, names: { root: t.root, id: '', target } };
}
