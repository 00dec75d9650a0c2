// SPDX-License-Identifier: GPL-2.0-only
// Coverage guidance: kernel edges from KCOV traces, the edge set a run has
// reached, the corpus of programs that reached new edges, and which of them
// to mutate next.
//
// An edge is syzkaller's "signal": for consecutive PCs (prev, pc) of one
// trace, pc ^ hash(prev), the first PC paired with 0. KCOV_TRACE_PC records
// every basic block a system call enters, in order, so a consecutive pair is
// a control-flow edge taken. A set of PCs (block coverage) would miss the
// news this explorer is after: a branch taken between blocks that other
// paths already entered (an error path joining a lookup's common exit, say).
// Pairs across two system calls
// (the exit path of one, the entry of the next) are the same few every time,
// so they saturate at once and never make a program look new.
import type { Program, Rng } from './types.js';

/** A 32-bit integer mix (the one syzkaller's executor uses for its signal): neighbours PCs land far apart. */
export function hash32(a: number): number {
  a = (a ^ 61 ^ (a >>> 16)) >>> 0;
  a = (a + (a << 3)) >>> 0;
  a = (a ^ (a >>> 4)) >>> 0;
  a = Math.imul(a, 0x27d4eb2d) >>> 0;
  return (a ^ (a >>> 15)) >>> 0;
}

/** The distinct edges of one trace (PCs in trace order, 32-bit). */
export function traceEdges(pcs: ArrayLike<number>): Set<number> {
  const edges = new Set<number>();
  let prev = 0;
  for (let i = 0; i < pcs.length; i++) {
    const pc = pcs[i]! >>> 0;
    edges.add((pc ^ hash32(prev)) >>> 0);
    prev = pc;
  }
  return edges;
}

export interface CorpusEntry {
  program: Program;
  /** The edges it reached first, when it joined. */
  newEdges: number;
  /** All edges its execution reached. */
  edges: number;
  /** The number of the program (0-based, over the run) that joined. */
  seq: number;
  /** How often the scheduler chose it to mutate. */
  picks: number;
}

/** What one execution's edges did to the corpus. */
export interface Admission {
  newEdges: number;
  added: boolean;
}

export class Corpus {
  readonly entries: CorpusEntry[] = [];
  private readonly seen = new Set<number>();

  /** Edges reached so far, by every program. */
  get edges(): number {
    return this.seen.size;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Adds the edges to the global set; the program joins when some were new. */
  admit(program: Program, edges: ReadonlySet<number>, seq: number): Admission {
    let fresh = 0;
    for (const e of edges) {
      if (this.seen.has(e)) continue;
      this.seen.add(e);
      fresh++;
    }
    if (fresh === 0) return { newEdges: 0, added: false };
    this.entries.push({ program, newEdges: fresh, edges: edges.size, seq, picks: 0 });
    return { newEdges: fresh, added: true };
  }

  /** The entry to mutate next (the scheduler's choice); counted as a pick. */
  next(rng: Rng): CorpusEntry | undefined {
    const i = schedule(this.entries, rng);
    if (i < 0) return undefined;
    const e = this.entries[i]!;
    e.picks++;
    return e;
  }
}

/**
 * How much an entry deserves the next mutation: more new edges (damped, so
 * the first program, for which everything was new, does not own the run),
 * fewer actions (cheaper to run, a mutation changes more of it, a finding
 * shrinks faster), and fewer picks so far (newer entries first; an entry
 * picked often has had its turn, as AFL's "not yet fuzzed" favours).
 */
export function weight(e: CorpusEntry): number {
  const size = Math.max(1, e.program.actions.length);
  return (1 + Math.log2(1 + e.newEdges)) / (size * (1 + e.picks));
}

const SCALE = 2 ** 30;

/** Index of the entry to mutate, drawn in proportion to weight(); -1 on an empty corpus. Pure given rng. */
export function schedule(entries: readonly CorpusEntry[], rng: Rng): number {
  if (entries.length === 0) return -1;
  const w = entries.map(weight);
  const total = w.reduce((a, b) => a + b, 0);
  let r = (rng.int(SCALE) / SCALE) * total;
  for (let i = 0; i < w.length; i++) {
    r -= w[i]!;
    if (r < 0) return i;
  }
  return entries.length - 1;
}
