// SPDX-License-Identifier: GPL-2.0-only
// The check a reproducer makes at its last step, derived from how Checks
// judged it. exp.that() conditions are the scenario's own code: the common
// wordings ("no e2", "lists enable id", a read value, "gid N") become a
// re-observation of the path; any other is left to the health counters.
import type { Judged } from './types.js';

export type ResolvedCheck =
  /** One of these errno names; 'OK' among them: success is allowed too. */
  | { kind: 'errno'; codes: string[] }
  | { kind: 'success' }
  | { kind: 'error' }
  /** getdents64 of path must not list name. */
  | { kind: 'unlisted'; path: string; name: string }
  /** getdents64 of path must list every name. */
  | { kind: 'listed'; path: string; names: string[] }
  /** The file's content, trimmed, must equal value. */
  | { kind: 'content'; path: string; value: string }
  | { kind: 'gid'; path: string; gid: number };

/** How the reproducer checks j, or undefined when the condition cannot be re-observed. */
export function resolveCheck(j: Judged): ResolvedCheck | undefined {
  const c = j.check;
  if (c.kind !== 'that') return c;
  if (!j.path.startsWith('{root}')) return undefined;
  const word = /^[A-Za-z0-9_.{}-]+$/;
  if (j.op.startsWith('getdents64')) {
    const no = /^no (\S+)$/.exec(j.expected);
    if (no && word.test(no[1]!)) return { kind: 'unlisted', path: j.path, name: no[1]! };
    const lists = /^lists (.+)$/.exec(j.expected);
    const names = lists?.[1]!.split(' ') ?? [];
    if (lists && names.every((n) => word.test(n))) return { kind: 'listed', path: j.path, names };
    return undefined;
  }
  if (j.op.startsWith('read') && /^[\x21-\x7e]+$/.test(j.expected)) {
    return { kind: 'content', path: j.path, value: j.expected };
  }
  const gid = /^gid (\d+)$/.exec(j.expected);
  if (gid) return { kind: 'gid', path: j.path, gid: Number(gid[1]) };
  return undefined;
}

/** One line for notes and the C header: what the last step checks. */
export function describeCheck(c: ResolvedCheck | undefined): string {
  if (!c) return 'no check the C can make: reproduced only by a rise of the health counters';
  switch (c.kind) {
    case 'errno':
      return c.codes.includes('OK')
        ? `the call succeeds or fails with ${c.codes.filter((x) => x !== 'OK').join(' or ')}`
        : `the call fails with ${c.codes.join(' or ')}`;
    case 'success':
      return 'the call succeeds';
    case 'error':
      return 'the call fails';
    case 'unlisted':
      return `${c.path} does not list ${c.name}`;
    case 'listed':
      return `${c.path} lists ${c.names.join(' ')}`;
    case 'content':
      return `${c.path} reads ${c.value}`;
    case 'gid':
      return `${c.path} has gid ${c.gid}`;
  }
}
