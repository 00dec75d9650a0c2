// SPDX-License-Identifier: GPL-2.0-only
// The small world a program works on: names it creates itself, as templates
// ({root}, {id}, {target}) so every run gets fresh ones (src/probes/names.ts
// runNames: groups {id}_g<n>, instances {id}_i<n>, events e<n>) and a
// reproducer replays them unchanged (src/repro/replay.ts expand).
import { CONTROL_FILE } from '../probes/definitions.js';
import { REQUIRED_FILES } from '../scenarios/event-files.js';
import type { ProbeKind } from '../model.js';

/** Kinds a program creates. Synthetic events are left out: see docs/explore.md. */
export const WORLD_KINDS = ['uprobe', 'kprobe', 'fprobe', 'eprobe'] as const satisfies readonly ProbeKind[];
export type WorldKind = (typeof WORLD_KINDS)[number];

/**
 * The numbers a program's calls carry (open flags, access mode, whence):
 * the addon's constants (src/native C) when exploring, plain values in the
 * pure tests, which must not load the addon.
 */
export interface Flags {
  O_RDONLY: number;
  O_WRONLY: number;
  O_RDWR: number;
  O_APPEND: number;
  O_DIRECTORY: number;
  O_PATH: number;
  F_OK: number;
  SEEK_SET: number;
}

export interface World {
  flags: Flags;
  /** Kinds this kernel has (src/tracefs/features.ts supportedKinds), uprobe first. */
  kinds: WorldKind[];
  /** kprobe and fprobe sites: a kernel symbol (src/probes/targets.ts); the uprobe site is {target}. */
  symbol?: string;
  groups: number;
  eventsPerGroup: number;
  /** 0 when the kernel has no instances. */
  instances: number;
  /** The event files held and touched: REQUIRED_FILES, plus hist when the kernel has hist triggers. */
  files: string[];
  /** Races may list dirs (getdents) and write drop_caches: never on a host kernel (the 6.18.y oops). */
  unsafeRaces: boolean;
  /** Races at all (the host tests run without). */
  races: boolean;
}

export function defaultWorld(flags: Flags, over: Partial<World> = {}): World {
  return {
    flags,
    kinds: ['uprobe'],
    groups: 2,
    eventsPerGroup: 2,
    instances: 1,
    files: [...REQUIRED_FILES],
    unsafeRaces: false,
    races: true,
    ...over,
  };
}

/** One event of the world: group g (1-based), event e (1-based). */
export interface Slot {
  g: number;
  e: number;
}

export const groupName = (g: number): string => `{id}_g${g}`;
export const eventName = (e: number): string => `e${e}`;
export const instanceName = (i: number): string => `{id}_i${i}`;
export const slotKey = (s: Slot): string => `${groupName(s.g)}/${eventName(s.e)}`;

/** The tracefs dir events live in: the top level ('') or an instance ({id}_i<n>). */
export type Scope = string;
export function scopeRoot(scope: Scope): string {
  return scope ? `{root}/instances/${scope}` : '{root}';
}
export function groupDir(scope: Scope, g: number): string {
  return `${scopeRoot(scope)}/events/${groupName(g)}`;
}
export function eventDir(scope: Scope, s: Slot): string {
  return `${groupDir(scope, s.g)}/${eventName(s.e)}`;
}

/**
 * The kind of each slot: fixed per world so a name keeps one kind (a
 * re-creation of the same name is the same definition, as in the scenarios).
 * Group 1 is always the first kind (uprobe where there is one); an eprobe
 * needs a base in another group.
 */
export function slotKind(w: World, s: Slot): WorldKind {
  const k = w.kinds[(s.g - 1) % w.kinds.length]!;
  return k === 'eprobe' && s.g === 1 ? (w.kinds.find((x) => x !== 'eprobe') ?? 'uprobe') : k;
}

/** An eprobe's base: the same event number in group 1 (a uprobe or kprobe event of this world). */
export function eprobeBase(s: Slot): Slot {
  return { g: 1, e: s.e };
}

export function controlFile(kind: WorldKind): string {
  return `{root}/${CONTROL_FILE[kind]}`;
}

/** The definition line (one command per write, src/probes/definitions.ts syntax). */
export function createLine(w: World, s: Slot): string {
  const at = slotKey(s);
  const kind = slotKind(w, s);
  switch (kind) {
    case 'uprobe':
      return `p:${at} {target}`;
    case 'kprobe':
      return `p:${at} ${w.symbol ?? 'vfs_read'}`;
    case 'fprobe':
      return `f:${at} ${w.symbol ?? 'vfs_read'}`;
    case 'eprobe': {
      const b = eprobeBase(s);
      return `e:${at} ${groupName(b.g)}.${eventName(b.e)}`;
    }
  }
}

/** The kind a definition line makes: its prefix, and for `p:` its site (a path is a uprobe's). */
export function definitionKind(line: string): WorldKind {
  if (line.startsWith('e:')) return 'eprobe';
  if (line.startsWith('f:')) return 'fprobe';
  const site = line.split(' ')[1] ?? '';
  return site.includes('{target}') || site.startsWith('/') ? 'uprobe' : 'kprobe';
}

/**
 * Whether a control file (its name under {root}) handles a kind: kprobe_events
 * and uprobe_events parse and remove only their own (trace_dynevent.c
 * dyn_event_release with their ops), dynamic_events every kind.
 */
export function controlTakes(file: string, kind: WorldKind): boolean {
  return file === 'dynamic_events' || CONTROL_FILE[kind] === file;
}

export function removeLine(s: Slot): string {
  return `-:${slotKey(s)}`;
}

export function allSlots(w: World): Slot[] {
  const out: Slot[] = [];
  for (let g = 1; g <= w.groups; g++) for (let e = 1; e <= w.eventsPerGroup; e++) out.push({ g, e });
  return out;
}

export function allScopes(w: World): Scope[] {
  return ['', ...Array.from({ length: w.instances }, (_, i) => instanceName(i + 1))];
}
