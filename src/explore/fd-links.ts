// SPDX-License-Identifier: GPL-2.0-only
// A program's fd arguments name the action that opened the fd by its index, so
// any edit that moves actions (a mutation, a shrink step) goes through a linked
// form: each argument points at its opener, and going back to indices drops a
// call whose opener is gone, later or already closed. Every edited program is
// well-formed this one way.
import type { Arg } from '../repro/types.js';
import type { Action, Program } from './types.js';
import { MAX_ACTIONS } from './validate.js';

export interface Linked {
  action: Action;
  /** Per argument: the node whose fd it uses. */
  refs: (Linked | undefined)[];
}

export function link(p: Program): Linked[] {
  const nodes: Linked[] = [];
  for (const a of p.actions) {
    nodes.push({ action: a, refs: a.kind === 'call' ? a.args.map((x) => ('fd' in x ? nodes[x.fd] : undefined)) : [] });
  }
  return nodes;
}

/** Back to indices; a call whose fd's opener is gone, later or closed is dropped. */
export function unlink(nodes: readonly Linked[], max = MAX_ACTIONS): Program {
  const pos = new Map<Linked, number>();
  const open = new Set<Linked>();
  const actions: Action[] = [];
  for (const n of nodes) {
    if (actions.length >= max) break;
    const a = n.action;
    if (a.kind === 'race') {
      actions.push(a);
      continue;
    }
    if (n.refs.some((r, k) => 'fd' in a.args[k]! && (!r || !open.has(r)))) continue;
    const args: Arg[] = a.args.map((x, k) => ('fd' in x ? { fd: pos.get(n.refs[k]!)! } : x));
    pos.set(n, actions.length);
    actions.push({ ...a, args });
    if (a.call === 'open' || a.call === 'openat') open.add(n);
    if (a.call === 'close') open.delete(n.refs[0]!);
  }
  return { actions };
}

/** The actions at `keep` (indices into p, ascending), fds renumbered, calls left without their opener dropped. */
export function subProgram(p: Program, keep: readonly number[]): Program {
  const nodes = link(p);
  return unlink(
    keep.flatMap((i) => (nodes[i] ? [nodes[i]] : [])),
    Infinity,
  );
}
