// SPDX-License-Identifier: GPL-2.0-only
// Generated programs against this machine's tracefs, restricted to what is
// safe on a host kernel: uprobes only, races without getdents or drop_caches
// (the 6.18.y eventfs_iterate oops), sequential getdents allowed. This kernel
// is correct for sequential ops: the model must find nothing, and nothing
// of the runs may be left in tracefs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExplorer, worldFor } from '../../../src/explore/explorer.js';
import { unsafeOnHost } from '../../../src/explore/race.js';
import { seededRng } from '../../../src/explore/rng.js';
import type { Execution, Program } from '../../../src/explore/types.js';
import { programProblems } from '../../../src/explore/validate.js';
import { native } from '../../../src/native/index.js';
import { registerRoot } from '../../../src/tracefs/open.js';
import type { Tracefs } from '../../../src/tracefs/types.js';
import { leftovers, liveSkipReason, tracefsRoot } from '../live-env.js';

const live = describe.skipIf(!!liveSkipReason);
let root = '';
if (!liveSkipReason) {
  beforeAll(() => {
    root = tracefsRoot();
    registerRoot(root);
  });
  afterAll(() => {
    native.clearRoot();
  });
}
const SEEDS = Array.from({ length: 24 }, (_, i) => 1000 + i);

live('explore: generated programs on the host tracefs', () => {
  it('finds no violation and leaves nothing behind', async () => {
    const before = leftovers(root);
    // uprobes only, whatever else this kernel has; instances on.
    const t = { root, kinds: ['uprobe'], features: new Set(['instances']) } as unknown as Tracefs;
    const { world, names } = worldFor(t, { unsafeRaces: false });
    const ex = createExplorer({ world, names, generate: { minActions: 20, maxActions: 60, raceChance: 0.3 } });
    const runs: { p: Program; e: Execution }[] = [];
    const t0 = Date.now();
    for (const seed of SEEDS) {
      const rng = seededRng(seed);
      let p = ex.generate(rng);
      if (seed % 2)
        p = ex.mutate(
          p,
          rng,
          runs.map((r) => r.p),
        );
      expect(programProblems(p, world)).toEqual([]);
      for (const a of p.actions) if (a.kind === 'race') expect(unsafeOnHost(a.config)).toBeUndefined();
      runs.push({ p, e: await ex.execute(p) });
    }
    const calls = runs.reduce((n, r) => n + r.e.results.filter((x) => x.kind === 'call').length, 0);
    const races = runs.reduce((n, r) => n + r.e.results.filter((x) => x.kind === 'race').length, 0);
    const skipped = runs.reduce((n, r) => n + r.e.results.filter((x) => x.kind === 'skipped').length, 0);
    process.stdout.write(
      `explore host: ${SEEDS.length} programs, ${calls} calls judged, ${races} races, ${skipped} skipped, ${Date.now() - t0} ms\n`,
    );
    // The runs reached removed things: ENOENT and ENODEV were judged, not only successes.
    const codes = new Map<string, number>();
    for (const r of runs)
      for (const x of r.e.results)
        if (x.kind === 'call') {
          const c = 'err' in x.outcome ? x.outcome.err : 'OK';
          codes.set(c, (codes.get(c) ?? 0) + 1);
        }
    process.stdout.write(`explore host: outcomes ${JSON.stringify(Object.fromEntries(codes))}\n`);
    expect(codes.get('ENOENT') ?? 0).toBeGreaterThan(20);
    expect(codes.get('ENODEV') ?? 0).toBeGreaterThan(0);
    const violations = runs.flatMap((r, k) => r.e.violations.map((v) => ({ seed: SEEDS[k], ...v })));
    expect(violations).toEqual([]);
    expect(calls).toBeGreaterThan(SEEDS.length * 10);
    expect(leftovers(root).filter((l) => !before.includes(l))).toEqual([]);
  });
});

live('explore: the executor around races', () => {
  const t = () => ({ root, kinds: ['uprobe'], features: new Set(['instances']) }) as unknown as Tracefs;
  /** A program with a race (seeded in a guest world, so it may list dirs) after some calls. */
  function withRace(unsafe: boolean): Program {
    const { world } = worldFor(t(), { unsafeRaces: unsafe });
    for (let seed = 1; ; seed++) {
      const p = createExplorer({
        world,
        names: { root, id: '', target: '' },
        generate: { minActions: 30, maxActions: 40, raceChance: 1 },
      }).generate(seededRng(seed));
      const race = p.actions.find((a) => a.kind === 'race');
      if (race?.kind === 'race' && (!unsafe || unsafeOnHost(race.config))) return p;
    }
  }

  it('never runs a race that lists dirs or drops caches on a host world (the engine is not even called)', async () => {
    const { world, names } = worldFor(t(), { unsafeRaces: false });
    let called = 0;
    const ex = createExplorer({ world, names, runRace: () => (called++, Promise.reject(new Error('must not run'))) });
    const e = await ex.execute(withRace(true));
    expect(called).toBe(0);
    expect(e.results.some((r) => r.kind === 'skipped' && /not racing on this kernel/.test(r.why))).toBe(true);
  });

  it("turns the engine's violations into the execution's, and cleans up when a race throws", async () => {
    const before = leftovers(root);
    const { world, names } = worldFor(t(), { unsafeRaces: false });
    const p = withRace(false);
    const planted = createExplorer({
      world,
      names,
      runRace: async () => {
        const { toStats, emptyNativeStats } = await import('../../../src/race/engine.js');
        const n = emptyNativeStats(2);
        n.violations = [
          {
            thread: 0,
            rule: 'absent-not-enoent',
            op: 'open',
            path: `${root}/events/x/enable`,
            expected: 'ENOENT',
            got: 'success',
            cycle: 3,
            generationBefore: 5,
            generationAfter: 5,
            phaseBefore: 'absent',
            phaseAfter: 'absent',
            startNs: 0,
            endNs: 1,
          },
        ];
        n.violationCount = 1;
        return toStats(n);
      },
    });
    const e = await planted.execute(p);
    expect(e.violations.map((v) => [v.expected, v.got, v.path])).toEqual([
      ['ENOENT', 'success', '{root}/events/x/enable'],
    ]);
    const throwing = createExplorer({ world, names, runRace: () => Promise.reject(new Error('engine broke')) });
    await expect(throwing.execute(p)).rejects.toThrow('engine broke');
    expect(leftovers(root).filter((l) => !before.includes(l))).toEqual([]);
  });
});
