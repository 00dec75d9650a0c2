// SPDX-License-Identifier: GPL-2.0-only
// Generated and mutated programs are well-formed over many seeds, the same
// seed gives the same program, the validator rejects planted bad programs,
// and a correct kernel (the model's own first choice per rule) is never
// flagged on a generated program.
import { describe, expect, it } from 'vitest';
import { generate, predict } from '../../../src/explore/generate.js';
import { Model } from '../../../src/explore/model.js';
import { link, unlink } from '../../../src/explore/fd-links.js';
import { mutate } from '../../../src/explore/mutate.js';
import { seededRng } from '../../../src/explore/rng.js';
import { unsafeOnHost } from '../../../src/explore/race.js';
import type { Program } from '../../../src/explore/types.js';
import { programProblems } from '../../../src/explore/validate.js';
import { act, world } from './fixtures.js';

const W = world({
  kinds: ['uprobe', 'kprobe', 'eprobe'],
  symbol: 'vfs_read',
  groups: 3,
  eventsPerGroup: 2,
  instances: 1,
});
const GUEST = { ...W, unsafeRaces: true };
const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);

describe('generate', () => {
  it('gives well-formed programs of 5-60 actions, a race in some', () => {
    let races = 0;
    for (const seed of SEEDS) {
      const p = generate(W, seededRng(seed));
      expect(programProblems(p, W), `seed ${seed}`).toEqual([]);
      expect(p.actions.length).toBeGreaterThanOrEqual(5);
      expect(p.actions.length).toBeLessThanOrEqual(60);
      if (p.actions.some((a) => a.kind === 'race')) races++;
    }
    expect(races).toBeGreaterThan(20);
  });

  it('a kernel without instances, uprobes only: no instance path at all', () => {
    const small = world({ kinds: ['uprobe'], instances: 0, groups: 1, eventsPerGroup: 1 });
    for (const seed of SEEDS.slice(0, 100)) {
      const p = generate(small, seededRng(seed));
      expect(programProblems(p, small)).toEqual([]);
      expect(JSON.stringify(p)).not.toContain('/instances/');
    }
  });

  it('is deterministic per seed', () => {
    expect(generate(W, seededRng(99))).toEqual(generate(W, seededRng(99)));
    expect(generate(W, seededRng(99))).not.toEqual(generate(W, seededRng(100)));
  });

  it('host worlds never race getdents or drop_caches; guest worlds do', () => {
    let unsafe = 0;
    for (const seed of SEEDS) {
      for (const a of generate(W, seededRng(seed)).actions)
        if (a.kind === 'race') expect(unsafeOnHost(a.config)).toBeUndefined();
      for (const a of generate(GUEST, seededRng(seed)).actions)
        if (a.kind === 'race' && unsafeOnHost(a.config)) unsafe++;
    }
    expect(unsafe).toBeGreaterThan(0);
  });

  it('walks the lifecycle: removals, touches after them, re-creations of the same name', () => {
    let removeThenTouch = 0;
    let recreate = 0;
    for (const seed of SEEDS.slice(0, 50)) {
      const lines = generate(W, seededRng(seed)).actions.map((a) =>
        a.kind === 'call' ? `${a.call} ${a.args.map((x) => ('t' in x ? x.t : '')).join(' ')}` : 'race',
      );
      const rm = lines.findIndex((l) => l.includes('-:{id}_g'));
      if (rm >= 0 && lines.slice(rm + 1).some((l) => /^(stat|open|openat|fstatat|pread|access) /.test(l)))
        removeThenTouch++;
      const key = rm >= 0 ? /-:(\S+)/.exec(lines[rm]!)![1]! : '';
      if (rm >= 0 && lines.slice(rm + 1).some((l) => l.includes(`:${key} `))) recreate++;
    }
    expect(removeThenTouch).toBeGreaterThan(30);
    expect(recreate).toBeGreaterThan(10);
  });

  it('a kernel that answers as the model predicts is never flagged (the model agrees with itself)', () => {
    for (const seed of SEEDS.slice(0, 100)) {
      const m = new Model(W);
      const p = generate(W, seededRng(seed));
      p.actions.forEach((a, i) => {
        if (a.kind === 'call') expect(m.step(i, a, predict(m, a, i)), `seed ${seed} action ${i}`).toEqual([]);
      });
    }
  });
});

describe('mutate', () => {
  it('keeps programs well-formed over many seeds and chains of mutations', () => {
    const corpus: Program[] = SEEDS.slice(0, 20).map((s) => generate(W, seededRng(s)));
    for (const seed of SEEDS) {
      const rng = seededRng(seed);
      let p = corpus[seed % corpus.length]!;
      for (let k = 0; k < 5; k++) {
        p = mutate(W, p, rng, corpus);
        expect(programProblems(p, W), `seed ${seed} round ${k}`).toEqual([]);
      }
    }
  });

  it('a relative open stays read-only and a control fd stays on its file (both seen as false findings)', () => {
    const p: Program = {
      actions: [
        act.chdir('{root}/events/{id}_g1/e1'),
        act.open('enable', 'ro'),
        act.open('{root}/uprobe_events', 'control'),
        act.open('{root}/kprobe_events', 'control'),
        act.write(2, 'p:{id}_g1/e1 {target}'),
        act.write(3, 'p:{id}_g2/e1 vfs_read'),
      ],
    };
    for (const seed of SEEDS) {
      let q = p;
      for (let k = 0; k < 5; k++) {
        q = mutate(W, q, seededRng(seed * 10 + k), []);
        expect(programProblems(q, W), `seed ${seed} round ${k}`).toEqual([]);
      }
    }
  });

  it('is deterministic per seed and changes the program', () => {
    const p = generate(W, seededRng(5));
    expect(mutate(W, p, seededRng(11), [])).toEqual(mutate(W, p, seededRng(11), []));
    const changed = SEEDS.slice(0, 30).filter(
      (s) => JSON.stringify(mutate(W, p, seededRng(s), [])) !== JSON.stringify(p),
    );
    expect(changed.length).toBeGreaterThanOrEqual(29);
  });

  it('unlink drops a call whose opener was removed and renumbers the rest', () => {
    const p: Program = {
      actions: [act.open('{root}/x', 'ro'), act.open('{root}/y', 'ro'), act.pread(1), act.pread(0)],
    };
    const nodes = link(p);
    expect(unlink([nodes[1]!, nodes[2]!, nodes[3]!]).actions).toEqual([act.open('{root}/y', 'ro'), act.pread(0)]);
  });
});

describe('programProblems (planted bad programs)', () => {
  const bad: [string, Program, RegExp][] = [
    ['an fd of a later action', { actions: [act.pread(1), act.open('{root}/x', 'ro')] }, /fd of action 1 is not open/],
    [
      'an fd after its close',
      { actions: [act.open('{root}/x', 'ro'), act.close(0), act.pread(0)] },
      /fd of action 0 is not open/,
    ],
    ['an fd of a non-opening action', { actions: [act.stat('{root}/x'), act.pread(0)] }, /not open/],
    ['a path outside the root', { actions: [act.stat('/etc/passwd')] }, /outside \{root\}/],
    [
      'two commands in one write',
      { actions: [act.open('{root}/uprobe_events', 'control'), act.write(0, 'p:a/b x\n-:c/d')] },
      /not exactly one command/,
    ],
    [
      'a line to a control file that is no definition',
      { actions: [act.open('{root}/uprobe_events', 'control'), act.write(0, 'traceoff')] },
      /not a definition or removal/,
    ],
    [
      'a kprobe definition to uprobe_events (a mutated fd, explore seed 22 on tiny-coverage)',
      { actions: [act.open('{root}/uprobe_events', 'control'), act.write(0, 'p:{id}_g2/e1 do_sys_openat2')] },
      /kprobe definition to uprobe_events, which does not take that kind/,
    ],
    [
      'a write-mode open from the cwd (a mutated flag, explore seed 22 on tiny-coverage: the root guard says EXDEV)',
      { actions: [act.chdir('{root}/events/{id}_g1/e1'), act.open('trigger', 'wo')] },
      /write-mode open of a relative path \(trigger\)/,
    ],
    [
      'O_TRUNC on a control file',
      { actions: [{ kind: 'call', call: 'open', args: [{ t: '{root}/uprobe_events' }, { n: 0o1001 }] }] },
      /open flags 513 are none the explorer makes/,
    ],
    ['a wrong argument kind', { actions: [{ kind: 'call', call: 'stat', args: [{ n: 3 }] }] }, /must be a string/],
    ['an unknown call', { actions: [{ kind: 'call', call: 'unlink' as 'stat', args: [] }] }, /unknown call/],
  ];
  for (const [what, p, re] of bad) {
    it(`rejects ${what}`, () => {
      expect(programProblems(p, W).join('\n')).toMatch(re);
    });
  }

  it('rejects a race with getdents in a host world, too many threads, or no bound', () => {
    const race = generate(GUEST, seededRng(1), { minActions: 30, maxActions: 30, raceChance: 1 }).actions.find(
      (a) => a.kind === 'race',
    );
    expect(race).toBeDefined();
    if (race?.kind !== 'race') return;
    const c = { ...race.config, weights: { getdents: 1, heldWrite: 1 }, threads: 8, maxCycles: 0, busyCheckEvery: 2 };
    const probs = programProblems({ actions: [{ kind: 'race', config: c }] }, W).join('\n');
    expect(probs).toMatch(/getdents/);
    expect(probs).toMatch(/threads 8/);
    expect(probs).toMatch(/maxCycles/);
    expect(probs).toMatch(/busyCheckEvery with enable writers/);
  });
});

describe('generated programs reach the planted regressions’ shapes', () => {
  it('a lookup the model expects to give ENOENT after a removal, a read expected ENODEV on a held enable fd, a removal expected EBUSY, a guest race listing the group', () => {
    const n = 500;
    const hits = { enoent: 0, enodevEnable: 0, ebusy: 0, listRace: 0 };
    for (let seed = 1; seed <= n; seed++) {
      const m = new Model(GUEST);
      const p = generate(GUEST, seededRng(seed));
      const seen = new Set<keyof typeof hits>();
      p.actions.forEach((a, i) => {
        if (a.kind === 'race') {
          if (a.config.list && a.config.weights?.getdents) seen.add('listRace');
          return;
        }
        const allowed = m.expect(a);
        const codes = 'codes' in allowed ? allowed.codes.join() : '';
        const fd = a.args[0] && 'fd' in a.args[0] ? m.fds.get(a.args[0].fd) : undefined;
        if (codes === 'ENOENT' && ['stat', 'access', 'open', 'openat', 'fstatat'].includes(a.call)) seen.add('enoent');
        if (
          codes === 'ENODEV' &&
          a.call === 'pread' &&
          fd &&
          'ref' in fd &&
          fd.ref.node.t === 'file' &&
          fd.ref.node.file === 'enable'
        )
          seen.add('enodevEnable');
        if (codes === 'EBUSY' && a.call === 'write') seen.add('ebusy');
        m.apply(i, a, predict(m, a, i));
      });
      for (const k of seen) hits[k]++;
    }
    process.stdout.write(`shapes in ${n} generated guest programs: ${JSON.stringify(hits)}\n`);
    expect(hits.enoent / n).toBeGreaterThan(0.5);
    expect(hits.enodevEnable / n).toBeGreaterThan(0.08);
    expect(hits.ebusy / n).toBeGreaterThan(0.1);
    expect(hits.listRace / n).toBeGreaterThan(0.05);
  });
});
