// SPDX-License-Identifier: GPL-2.0-only
import type { RaceStats } from '../../../src/race/types.js';
import { describe, it, expect } from 'vitest';
import { renderJson, renderJsonMatrix, toJson, JSON_SCHEMA } from '../../../src/report/json.js';
import { pass, skip, fail, race, raceMulti, raceSingle, NO_OVERLAP, report } from './fixtures.js';

describe('JSON report', () => {
  it('has a fixed key order, whatever order the input had', () => {
    const a = report([fail, race]);
    const shuffled = JSON.parse(JSON.stringify(a), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    // stats belong to src/race and are carried as they are (their own key order included)
    const noStats = (t: string) =>
      JSON.stringify({
        ...JSON.parse(t),
        results: JSON.parse(t).results.map((r: object) => ({ ...r, stats: undefined })),
      });
    expect(noStats(renderJson(shuffled))).toBe(noStats(renderJson(a)));
    expect(Object.keys(toJson(a))).toEqual([
      'schema',
      'report',
      'tool',
      'startedAt',
      'durationMs',
      'env',
      'summary',
      'results',
    ]);
    const r0 = JSON.parse(renderJson(a)).results[0];
    expect(Object.keys(r0)).toEqual([
      'name',
      'scenario',
      'kind',
      'title',
      'status',
      'kernelci',
      'checks',
      'durationMs',
      'evidence',
      'health',
      'references',
    ]);
    expect(Object.keys(r0.evidence[0])).toEqual(['op', 'path', 'expected', 'got', 'detail']);
  });

  it('carries the summary with the exit code, evidence, health and stats as they are', () => {
    const j = JSON.parse(
      renderJson(report([pass, skip, fail, race], { interrupted: '--bail after held-fd-enodev[uprobe]' })),
    );
    expect(j.schema).toBe(JSON_SCHEMA);
    expect(j.summary).toEqual({
      pass: 2,
      fail: 1,
      xfail: 0,
      xpass: 0,
      unresolved: 0,
      notRun: 0,
      timeout: 0,
      skip: 1,
      total: 4,
      exitCode: 1,
    });
    expect(j.interrupted).toMatch(/--bail/);
    expect(j.results[2].health.taint).toEqual({ before: 0, after: 160, letters: 'BD', gained: 'BD' });
    expect(j.results[2].health.kernelLines[0]).toContain('BUG: KASAN');
    expect(j.results[3].stats).toEqual(race.stats);
    expect(j.results[1].reason).toBe('kprobe_events not available in this kernel');
    expect('reason' in j.results[0]).toBe(false);
    expect('accelerator' in j.env).toBe(false);
  });

  it('serializes bigint counters from native stats as numbers', () => {
    const j = JSON.parse(renderJson(report([{ ...race, stats: { ops: 5n } as unknown as RaceStats }])));
    expect(j.results[0].stats).toEqual({ ops: 5 });
  });

  it('puts several runs in one document with overall totals', () => {
    const j = JSON.parse(renderJsonMatrix([report([pass]), report([fail, skip])]));
    expect(j.runs).toHaveLength(2);
    expect(j.summary).toEqual({
      pass: 1,
      fail: 1,
      xfail: 0,
      xpass: 0,
      unresolved: 0,
      notRun: 0,
      timeout: 0,
      skip: 1,
      total: 3,
      exitCode: 1,
    });
  });
});

describe('JSON: the race field and the no-overlap note', () => {
  it('carries the race as typed data, cycles/s first among the figures, no note when the workers could overlap', () => {
    const r = toJson(report([raceMulti])).results as Array<Record<string, unknown>>;
    expect(r[0]!.race).toEqual(raceMulti.race);
    expect(Object.keys(r[0]!.race as object)).toEqual([
      'overlap',
      'overlapWhy',
      'cyclesPerSec',
      'cycles',
      'opsPerSec',
      'ops',
      'threads',
      'cpus',
    ]);
  });

  it('adds the note to the race field when the workers could not overlap, once, also after a guest-to-host round trip (planted)', () => {
    const once = JSON.parse(
      renderJson(report([raceSingle], { env: { ...report([]).env, accelerator: 'tcg thread=single' } })),
    );
    expect(once.env.accelerator).toBe('tcg thread=single');
    expect(once.results[0].race).toMatchObject({ overlap: false, note: expect.stringMatching(NO_OVERLAP) });
    expect(Object.keys(once.results[0].race).slice(0, 3)).toEqual(['overlap', 'overlapWhy', 'note']);
    // The host re-renders what the guest wrote: the note must not double, even if its wording changed in between.
    const stale = { ...once, results: [{ ...once.results[0], race: { ...once.results[0].race, note: 'old words' } }] };
    const twice = renderJson(stale);
    expect(twice.match(new RegExp(NO_OVERLAP.source, 'g'))).toHaveLength(1);
    expect(twice).not.toContain('old words');
  });
});
