// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { Corpus, hash32, schedule, traceEdges, weight, type CorpusEntry } from '../../../src/explore/corpus.js';
import { prog, seededRng } from './fakes.js';

const entry = (o: Partial<CorpusEntry> & { size?: number }): CorpusEntry => ({
  program: prog(...Array.from({ length: o.size ?? 1 }, (_, i) => `a${i}`)),
  newEdges: o.newEdges ?? 10,
  edges: o.edges ?? 10,
  seq: o.seq ?? 0,
  picks: o.picks ?? 0,
});

describe('edges from a KCOV trace', () => {
  it('hash32 is a fixed 32-bit mix that spreads neighbouring PCs', () => {
    expect(hash32(0x81000000)).toBe(hash32(0x81000000));
    const hs = new Set(Array.from({ length: 1000 }, (_, i) => hash32(0x81000000 + i)));
    expect(hs.size).toBe(1000);
    for (const h of hs) expect(h >>> 0).toBe(h);
    expect(Math.abs(hash32(0x81000001) - hash32(0x81000000))).toBeGreaterThan(1000);
  });

  it('an edge is a consecutive pair: the same PCs in another order are other edges', () => {
    const ab = traceEdges([0x10, 0x20, 0x30]);
    const ba = traceEdges([0x30, 0x20, 0x10]);
    expect(ab.size).toBe(3);
    expect([...ab].filter((e) => ba.has(e))).toEqual([]);
  });

  it('a loop repeating the same pairs adds no edges; an empty trace has none', () => {
    expect(traceEdges([0x10, 0x20, 0x10, 0x20, 0x10, 0x20]).size).toBe(traceEdges([0x10, 0x20, 0x10]).size);
    expect(traceEdges([]).size).toBe(0);
  });
});

describe('the corpus', () => {
  it('a program with new edges joins with their count; one with none does not', () => {
    const c = new Corpus();
    expect(c.admit(prog('a'), new Set([1, 2, 3]), 0)).toEqual({ newEdges: 3, added: true });
    expect(c.admit(prog('b'), new Set([2, 3]), 1)).toEqual({ newEdges: 0, added: false });
    expect(c.admit(prog('c'), new Set([3, 4]), 2)).toEqual({ newEdges: 1, added: true });
    expect(c.edges).toBe(4);
    expect(c.entries.map((e) => [e.seq, e.newEdges, e.edges])).toEqual([
      [0, 3, 3],
      [2, 1, 2],
    ]);
  });

  it('next() is the scheduler’s choice and counts the pick; undefined on an empty corpus', () => {
    const c = new Corpus();
    expect(c.next(seededRng(1))).toBeUndefined();
    c.admit(prog('a'), new Set([1]), 0);
    const e = c.next(seededRng(1));
    expect(e?.seq).toBe(0);
    expect(e?.picks).toBe(1);
  });
});

describe('the scheduler', () => {
  it('weighs smaller, less picked and newer-edged programs more', () => {
    expect(weight(entry({ size: 1 }))).toBeGreaterThan(weight(entry({ size: 4 })));
    expect(weight(entry({ picks: 0 }))).toBeGreaterThan(weight(entry({ picks: 5 })));
    expect(weight(entry({ newEdges: 100 }))).toBeGreaterThan(weight(entry({ newEdges: 1 })));
    // damped: 1000x the new edges is not 1000x the weight
    expect(weight(entry({ newEdges: 1000 })) / weight(entry({ newEdges: 1 }))).toBeLessThan(10);
  });

  it('draws in proportion to weight, the same for the same seed', () => {
    const entries = [entry({ size: 1 }), entry({ size: 3 })];
    const draw = (seed: number) => {
      const rng = seededRng(seed);
      return Array.from({ length: 4000 }, () => schedule(entries, rng));
    };
    const a = draw(5);
    expect(draw(5)).toEqual(a);
    expect(draw(6)).not.toEqual(a);
    const first = a.filter((i) => i === 0).length / a.length;
    expect(first).toBeGreaterThan(0.7); // weights 3:1, so 0.75
    expect(first).toBeLessThan(0.8);
  });

  it('-1 on an empty corpus; a single entry is always chosen', () => {
    expect(schedule([], seededRng(1))).toBe(-1);
    const rng = seededRng(2);
    for (let i = 0; i < 50; i++) expect(schedule([entry({})], rng)).toBe(0);
  });
});
