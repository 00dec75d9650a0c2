// SPDX-License-Identifier: GPL-2.0-only
// Mutations of a program: insert, delete or replace actions, change one
// argument, splice a prefix of another corpus program in front, add or alter
// a race. Edits work on a linked form (an fd argument points at the action
// that opened it, not at its index), so indices are recomputed afterwards and
// any call left without its opener is dropped: every result is well-formed.
import type { Arg } from '../repro/types.js';
import { OPEN_HOWS, openFlags, type OpenHow } from './actions.js';
import { link, unlink, type Linked } from './fd-links.js';
import { Builder, generate } from './generate.js';
import { racedKey } from './race.js';
import { weighted } from './rng.js';
import type { Program, RaceAction, Rng } from './types.js';
import type { World } from './world.js';

type Mutation = 'insert' | 'delete' | 'replace' | 'argument' | 'splice' | 'race';

export function mutate(w: World, p: Program, rng: Rng, others: readonly Program[]): Program {
  // A mutation may change nothing (a flag to the same flag): try again, a few times, rather than run p twice.
  const before = JSON.stringify(p);
  let out = p;
  for (let attempt = 0; attempt < 5 && JSON.stringify(out) === before; attempt++) out = mutateOnce(w, p, rng, others);
  return out;
}

function mutateOnce(w: World, p: Program, rng: Rng, others: readonly Program[]): Program {
  let nodes = link(p);
  const n = 1 + (rng.chance(0.3) ? rng.int(4) : 0);
  for (let k = 0; k < n; k++) {
    const m = weighted<Mutation>(rng, {
      insert: 4,
      delete: nodes.length > 1 ? 3 : 0,
      replace: nodes.length ? 2 : 0,
      argument: nodes.length ? 4 : 0,
      splice: others.length ? 1 : 0,
      race: w.races ? 1 : 0,
    });
    nodes = apply(m, w, nodes, rng, others);
  }
  return unlink(nodes);
}

function apply(m: Mutation, w: World, nodes: Linked[], rng: Rng, others: readonly Program[]): Linked[] {
  const at = rng.int(nodes.length + 1);
  switch (m) {
    case 'insert':
      return [...nodes.slice(0, at), ...chunk(w, rng), ...nodes.slice(at)];
    case 'delete': {
      const len = 1 + rng.int(3);
      return [...nodes.slice(0, at), ...nodes.slice(at + len)];
    }
    case 'replace':
      return [...nodes.slice(0, at), ...chunk(w, rng), ...nodes.slice(at + 1)];
    case 'argument':
      return changeArgument(w, nodes, rng);
    case 'splice': {
      const o = link(rng.pick(others));
      return [...o.slice(0, 1 + rng.int(o.length)), ...nodes];
    }
    case 'race':
      return race(w, nodes, rng, at);
  }
}

/** A few consecutive actions of a fresh random program (their fds resolve among themselves or drop). */
function chunk(w: World, rng: Rng): Linked[] {
  const fresh = link(generate(w, rng, { minActions: 5, maxActions: 20, raceChance: 0 }));
  const from = rng.int(fresh.length);
  return fresh.slice(from, from + 1 + rng.int(4));
}

/** The control file (kprobe_events, ...) an open opens, whose fd's writes are definitions; undefined for others. */
function controlOf(x: Linked | undefined): string | undefined {
  if (!x || x.action.kind !== 'call' || x.action.call !== 'open') return undefined;
  const p = x.action.args[0];
  return p && 't' in p && /_events$/.test(p.t) ? p.t : undefined;
}

const WRITES = new Set<OpenHow>(['rw', 'wo']);
const cwdFree = (p: Arg | undefined): boolean => !!p && 't' in p && p.t.startsWith('{root}');

const SLOT_IN_PATH = /(\{id\}_g)(\d+)|(\/|^|:)e(\d+)(?=\/|$| )/g;

function changeArgument(w: World, nodes: Linked[], rng: Rng): Linked[] {
  const calls = nodes.filter((x) => x.action.kind === 'call');
  if (!calls.length) return nodes;
  const node = rng.pick(calls);
  const a = node.action;
  if (a.kind !== 'call' || a.args.length === 0) return nodes;
  const k = rng.int(a.args.length);
  const arg = a.args[k]!;
  let next: Arg = arg;
  const refs = [...node.refs];
  if ('fd' in arg) {
    // Another opener before this action, of the same class: a control file stays the same control file
    // (a kprobe definition through uprobe_events is no lifecycle step, and the model does not predict its errno).
    const before = nodes
      .slice(0, nodes.indexOf(node))
      .filter(
        (x) =>
          x.action.kind === 'call' &&
          ['open', 'openat'].includes(x.action.call) &&
          controlOf(x) === controlOf(node.refs[k]),
      );
    if (before.length) refs[k] = rng.pick(before);
  } else if ('t' in arg) {
    // Another group or event number: the same call on a sibling, or on a name that was never created.
    next = {
      t: arg.t.replace(SLOT_IN_PATH, (all, gp: string | undefined, _g, pre: string | undefined) =>
        gp
          ? `${gp}${1 + rng.int(w.groups + 1)}`
          : rng.chance(0.5)
            ? `${pre ?? ''}e${1 + rng.int(w.eventsPerGroup + 1)}`
            : all,
      ),
    };
    if (a.call === 'write' && ['0', '1'].includes(arg.t)) next = { t: arg.t === '0' ? '1' : '0' };
  } else if ((a.call === 'open' || a.call === 'openat') && k === a.args.length - 1 && controlOf(node) === undefined) {
    // A relative open (from the cwd) stays read-only: the addon's root guard refuses a write it cannot place (EXDEV).
    const rel = a.call === 'open' && !cwdFree(a.args[0]);
    next = { n: openFlags(w.flags, rng.pick(OPEN_HOWS.filter((h) => h !== 'control' && !(rel && WRITES.has(h))))) };
  }
  const args = a.args.map((x, j) => (j === k ? next : x));
  const copy: Linked = { action: { ...a, args }, refs };
  return nodes.map((x) => (x === node ? copy : x));
}

/** Alter a race's knobs, or add one where the model says a slot is absent. */
function race(w: World, nodes: Linked[], rng: Rng, at: number): Linked[] {
  const races = nodes.filter((x) => x.action.kind === 'race');
  if (races.length && rng.chance(0.5)) {
    const node = rng.pick(races);
    const r = node.action as RaceAction;
    const c = { ...r.config };
    const knob = rng.int(4);
    if (knob === 0) c.threads = 2 + rng.int(3);
    else if (knob === 1) c.maxCycles = 20 + rng.int(500);
    else if (knob === 2)
      ((c.dwellPresentUs = rng.pick([0, 20, 50, 200])), (c.dwellAbsentUs = rng.pick([0, 20, 50, 200])));
    else c.heldDirfds = 1 + rng.int(16);
    return nodes.map((x) => (x === node ? { action: { kind: 'race', config: c }, refs: [] } : x));
  }
  // Replay the prefix into a builder so the race picks a slot absent at that point.
  const prefix = unlink(nodes.slice(0, at));
  const b = new Builder(w, rng);
  for (const a of prefix.actions) {
    if (a.kind === 'call') b.push(a);
    else {
      const key = racedKey(a.config);
      const m = key && /^\{id\}_g(\d+)\/e(\d+)$/.exec(key);
      if (m && key) b.pushRace(a, key, { g: Number(m[1]), e: Number(m[2]) });
    }
  }
  const before = b.actions.length;
  b.race();
  const added = b.actions.slice(before).map((action): Linked => ({ action, refs: [] }));
  return [...nodes.slice(0, at), ...added, ...nodes.slice(at)];
}
