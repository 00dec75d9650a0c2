// SPDX-License-Identifier: GPL-2.0-only
// Where a program's path templates lead, in the model's world: the node a
// path names and the generation stamp it has now. A dirfd or cwd keeps the
// stamp it was opened with; a lookup through it reaches anything only while
// that stamp is still current (held-dirfd-enoent, cwd-inside-removed: ENOENT,
// also after the same name is created again).
import type { Scope } from './world.js';

export type Node =
  | { t: 'root'; scope: Scope }
  | { t: 'events'; scope: Scope }
  | { t: 'group'; scope: Scope; group: string }
  | { t: 'event'; scope: Scope; group: string; event: string }
  | { t: 'file'; scope: Scope; group: string; event: string; file: string }
  | { t: 'instances' }
  | { t: 'control'; file: string }
  /** Not one of the program's own names: the model judges nothing there. */
  | { t: 'other' };

/** A dir (or file) as an fd or the cwd holds it: the node and its stamp when opened (null: unknown). */
export interface Ref {
  node: Node;
  stamp: string | null;
}

const OWN_GROUP = /^\{id\}_g\d+$/;
const OWN_EVENT = /^e\d+$/;
const OWN_INSTANCE = /^\{id\}_i\d+$/;
const CONTROL = /^(kprobe|uprobe|dynamic|synthetic)_events$/;

export const ROOT_REF: Ref = { node: { t: 'root', scope: '' }, stamp: 'T' };

export function isDirNode(n: Node): boolean {
  return n.t === 'root' || n.t === 'events' || n.t === 'group' || n.t === 'event' || n.t === 'instances';
}

/** One step down (or up, for '..'); 'other' once outside the world. */
export function child(n: Node, name: string): Node {
  if (name === '.') return n;
  switch (n.t) {
    case 'root':
      if (name === '..') return { t: 'other' };
      if (name === 'events') return { t: 'events', scope: n.scope };
      if (!n.scope && name === 'instances') return { t: 'instances' };
      if (!n.scope && CONTROL.test(name)) return { t: 'control', file: name };
      return { t: 'other' };
    case 'instances':
      if (name === '..') return { t: 'root', scope: '' };
      return OWN_INSTANCE.test(name) ? { t: 'root', scope: name } : { t: 'other' };
    case 'events':
      if (name === '..') return { t: 'root', scope: n.scope };
      return OWN_GROUP.test(name) ? { t: 'group', scope: n.scope, group: name } : { t: 'other' };
    case 'group':
      if (name === '..') return { t: 'events', scope: n.scope };
      return OWN_EVENT.test(name) ? { t: 'event', scope: n.scope, group: n.group, event: name } : { t: 'other' };
    case 'event':
      if (name === '..') return { t: 'group', scope: n.scope, group: n.group };
      return { t: 'file', scope: n.scope, group: n.group, event: n.event, file: name };
    default:
      return { t: 'other' };
  }
}

/** Splits a path template: absolute ones start at {root}; null for an absolute path elsewhere. */
export function splitPath(p: string): { absolute: boolean; parts: string[] } | null {
  if (p.startsWith('/')) return null;
  if (p === '{root}' || p.startsWith('{root}/'))
    return {
      absolute: true,
      parts: p
        .slice('{root}'.length)
        .split('/')
        .filter((x) => x !== ''),
    };
  return { absolute: false, parts: p.split('/').filter((x) => x !== '') };
}

/** The stamp of a node's parent: stamps are '|'-joined from the scope down. */
export function parentStamp(stamp: string | null): string | null {
  if (stamp === null) return null;
  const i = stamp.lastIndexOf('|');
  return i < 0 ? stamp : stamp.slice(0, i);
}

export function nodeLabel(n: Node): string {
  const s = (scope: Scope) => (scope ? `{root}/instances/${scope}` : '{root}');
  switch (n.t) {
    case 'root':
      return s(n.scope);
    case 'events':
      return `${s(n.scope)}/events`;
    case 'group':
      return `${s(n.scope)}/events/${n.group}`;
    case 'event':
      return `${s(n.scope)}/events/${n.group}/${n.event}`;
    case 'file':
      return `${s(n.scope)}/events/${n.group}/${n.event}/${n.file}`;
    case 'instances':
      return '{root}/instances';
    case 'control':
      return `{root}/${n.file}`;
    case 'other':
      return '(outside the world)';
  }
}
