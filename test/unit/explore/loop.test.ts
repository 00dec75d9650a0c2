// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { explore, type ExploreStats } from '../../../src/explore/loop.js';
import { FakeExplorer, FakeTrace, nameOf, seededRng } from './fakes.js';

describe('the explore loop', () => {
  it('a program reaching new edges joins the corpus; one reaching none does not', async () => {
    const x = new FakeExplorer({ script: ['seed', 'same', 'novel'] });
    const trace = new FakeTrace(
      x,
      new Map([
        ['seed', [1, 2, 3]],
        ['same', [1, 2, 3]],
        ['novel', [1, 2, 9]],
      ]),
    );
    const r = await explore({ rng: seededRng(1), maxPrograms: 3, generateChance: 1 }, x, trace);
    expect(x.executed).toEqual(['seed', 'same', 'novel']);
    expect(r.corpus.entries.map((e) => [nameOf(e.program), e.newEdges])).toEqual([
      ['seed', 3],
      ['novel', 1], // only 2->9 is new
    ]);
    expect(r.stats).toMatchObject({ guided: true, programs: 3, generated: 3, corpus: 2, edges: 4 });
    expect(r.stop).toBe('programs');
  });

  it('mutates the corpus once it has entries (guided), never when blind', async () => {
    const guided = new FakeExplorer();
    const g = await explore({ rng: seededRng(2), maxPrograms: 40 }, guided, new FakeTrace(guided, new Map()));
    expect(guided.mutations).toBeGreaterThan(20); // generateChance 0.1
    expect(g.stats.mutated).toBe(guided.mutations);

    const blind = new FakeExplorer();
    const b = await explore({ rng: seededRng(2), maxPrograms: 40 }, blind);
    expect(blind.mutations).toBe(0);
    expect(b.stats).toMatchObject({ guided: false, programs: 40, generated: 40, corpus: 0, edges: 0 });
  });

  it('the first violation ends the loop, with the finding; --keep-going goes on', async () => {
    const violating = new Set(['bad']);
    const x = new FakeExplorer({ script: ['ok', 'bad', 'ok2', 'bad'], violating });
    const r = await explore({ rng: seededRng(3), maxPrograms: 10, generateChance: 1 }, x);
    expect(r.stop).toBe('violation');
    expect(x.executed).toEqual(['ok', 'bad']);
    expect(r.findings.map((f) => [f.seq, nameOf(f.program), f.execution.violations[0]?.got])).toEqual([
      [1, 'bad', 'success'],
    ]);

    const y = new FakeExplorer({ script: ['ok', 'bad', 'ok2', 'bad'], violating });
    const seen: number[] = [];
    const k = await explore(
      { rng: seededRng(3), maxPrograms: 6, generateChance: 1, keepGoing: true, onFinding: (f) => seen.push(f.seq) },
      y,
    );
    expect(k.stop).toBe('programs');
    expect(seen).toEqual([1, 3]);
    expect(k.stats).toMatchObject({ programs: 6, violating: 2, violations: 2 });
  });

  it('names each program before it runs (the last word of a guest whose kernel dies inside it)', async () => {
    const order: string[] = [];
    const x = new FakeExplorer({ script: ['a', 'b'], onExecute: (n) => order.push(`run ${n}`) });
    let t = 0;
    await explore(
      {
        rng: seededRng(4),
        maxPrograms: 2,
        generateChance: 1,
        now: () => (t += 5),
        onProgram: (seq, p, ms) => order.push(`program ${seq} ${nameOf(p)} at ${ms}`),
      },
      x,
    );
    expect(order).toEqual(['program 0 a at 5', 'run a', 'program 1 b at 15', 'run b']);
  });

  it('the stop signal stops it, also when execute never yields', async () => {
    const ctrl = new AbortController();
    const x = new FakeExplorer({ onExecute: (_, n) => n === 5 && ctrl.abort('SIGINT') });
    const r = await explore({ rng: seededRng(4), signal: ctrl.signal }, x);
    expect(r.stop).toBe('signal');
    expect(r.stats.programs).toBe(5);

    // A signal handler is a macrotask: the loop must give the event loop a turn.
    const late = new AbortController();
    setTimeout(() => late.abort('SIGINT'), 30);
    const y = new FakeExplorer();
    const s = await explore({ rng: seededRng(4), signal: late.signal }, y);
    expect(s.stop).toBe('signal');
    expect(s.stats.programs).toBeGreaterThan(0);
  });

  it('stops at the duration (a fake clock)', async () => {
    let t = 0;
    const x = new FakeExplorer({ onExecute: () => (t += 100) });
    const r = await explore({ rng: seededRng(5), durationMs: 1000, now: () => t }, x);
    expect(r.stop).toBe('duration');
    expect(r.stats.programs).toBe(10);
    expect(r.stats.programsPerSec).toBe(10);
  });

  it('the same seed gives the same run; another seed another', async () => {
    const run = async (seed: number) => {
      const x = new FakeExplorer();
      const table = new Map<string, number[]>();
      // each name its own few PCs, so some programs bring news and join
      const pcs = (name: string) => [...name].map((c) => c.charCodeAt(0) * 7);
      await explore({ rng: seededRng(seed), maxPrograms: 60 }, x, new FakeTrace(x, table, pcs));
      return x.executed;
    };
    const a = await run(11);
    expect(a.some((n) => n.includes('+'))).toBe(true); // mutations ran
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it('a failing trace is counted and the execution runs blind', async () => {
    const x = new FakeExplorer({ script: ['a', 'b', 'c'] });
    const trace = new FakeTrace(x, new Map([['b', [5, 6]]]), () => [1], 2);
    const r = await explore({ rng: seededRng(6), maxPrograms: 3, generateChance: 1 }, x, trace);
    expect(r.stats.traceErrors).toBe(1);
    expect(r.stats.lastTraceError).toBe('ioctl: EBUSY');
    expect(r.corpus.entries.map((e) => nameOf(e.program))).toEqual(['a']); // b's trace was lost
  });

  it('reports progress every interval with the edges new since the last report, and a final report', async () => {
    let t = 0;
    const x = new FakeExplorer({ onExecute: () => (t += 400) });
    const trace = new FakeTrace(x, new Map(), (name) => [Number(name.slice(1)) % 4]);
    const reports: [ExploreStats, boolean][] = [];
    await explore(
      {
        rng: seededRng(7),
        maxPrograms: 8,
        generateChance: 1,
        now: () => t,
        progressIntervalMs: 1000,
        onProgress: (s, f) => reports.push([s, f]),
      },
      x,
      trace,
    );
    expect(reports.map(([s, f]) => [s.programs, f])).toEqual([
      [3, false],
      [6, false],
      [8, true],
    ]);
    const total = reports.reduce((a, [s]) => a + s.newEdges, 0);
    expect(total).toBe(reports.at(-1)![0].edges);
  });
});
