// The wrapper around the native run: validation, progress, stop, setup errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RaceConfigError, raceConfigProblems, runRace, summaryLines, type RaceConfig } from '../../../src/race/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr_race_'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function plain(extra: Partial<RaceConfig> = {}): RaceConfig {
  const f = path.join(dir, 'f');
  return {
    threads: 1,
    durationMs: 300,
    create: [{ kind: 'create-file', path: f }],
    remove: [{ kind: 'unlink', path: f }],
    files: [f],
    progressMs: 0,
    ...extra,
  };
}

describe('race config validation', () => {
  it('names each problem and how to fix it', () => {
    expect(raceConfigProblems(plain())).toEqual([]);
    expect(raceConfigProblems(plain({ threads: 0 }))).toEqual(['threads must be an integer 1..64 (got 0)']);
    expect(raceConfigProblems(plain({ threads: 65 }))[0]).toMatch(/threads must be an integer 1\.\.64/);
    expect(raceConfigProblems(plain({ durationMs: 86_400_001 }))[0]).toMatch(/a day/);
    expect(raceConfigProblems(plain({ files: [] }))[0]).toMatch(/nothing to race/);
    expect(raceConfigProblems({ ...plain(), create: [] })[0]).toMatch(/create must be a non-empty array/);
    expect(raceConfigProblems({ ...plain(), treads: 2 } as RaceConfig)).toContain('unknown option treads');
    expect(raceConfigProblems(plain({ remove: [{ kind: 'rm' as 'rmdir', path: '/x' }] }))[0]).toMatch(/kind must be one of/);
  });

  it('runRace rejects a bad config before starting anything', async () => {
    await expect(runRace(plain({ threads: 100 }))).rejects.toBeInstanceOf(RaceConfigError);
    expect(fs.existsSync(path.join(dir, 'f'))).toBe(false);
  });
});

describe('race run control', () => {
  it('an AbortSignal stops a long run and leaves the target removed', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 200);
    const s = await runRace(plain({ durationMs: 120_000 }), { signal: ac.signal });
    expect(s.stopReason).toBe('stopped');
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(fs.existsSync(path.join(dir, 'f'))).toBe(false);
  });

  it('an already aborted signal runs no cycle', async () => {
    const ac = new AbortController();
    ac.abort();
    const s = await runRace(plain({ durationMs: 120_000 }), { signal: ac.signal });
    expect(s.stopReason).toBe('stopped');
    expect(s.cycles).toBe(0);
  });

  it('progress snapshots arrive while it runs', async () => {
    const seen: number[] = [];
    await runRace(plain({ durationMs: 500, progressMs: 100 }), { onProgress: (p) => seen.push(p.ops) });
    expect(seen.length).toBeGreaterThan(0);
  });

  it('maxCycles ends the run after that many cycles', async () => {
    const s = await runRace(plain({ durationMs: 0, maxCycles: 25 }));
    expect(s.stopReason).toBe('cycles');
    expect(s.cycles).toBe(25);
    expect(s.createLatency.count).toBe(25);
    expect(s.removeLatency.p50Us).toBeGreaterThan(0);
  });

  it('a failing create step stops the run with the call and errno', async () => {
    const s = await runRace(plain({ create: [{ kind: 'mkdir', path: path.join(dir, 'no', 'such') }] }));
    expect(s.stopReason).toBe('error');
    expect(s.error).toBe(`create: mkdir(${path.join(dir, 'no', 'such')}): ENOENT`);
    expect(summaryLines('t', s).at(-1)).toMatch(/End of test: FAILURE/);
  });

  it('a target that already exists: the create fails and nothing is judged against the assumption', async () => {
    const d = path.join(dir, 'ev');
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'enable'), '0');
    const s = await runRace(plain({ threads: 2, create: [{ kind: 'mkdir', path: d }], remove: [{ kind: 'rmdir', path: d }], files: [path.join(d, 'enable')] }));
    expect(s.error).toBe(`create: mkdir(${d}): EEXIST`);
    expect(s.violationCount).toBe(0);
  });

  it('drop_caches every K cycles writes 6 to the configured file', async () => {
    const dc = path.join(dir, 'drop_caches');
    fs.writeFileSync(dc, '');
    const s = await runRace(plain({ durationMs: 0, maxCycles: 10, dropCachesEvery: 2, dropCachesPath: dc }));
    expect(s.dropCaches).toBe(5);
    expect(fs.readFileSync(dc, 'utf8')).toMatch(/^6+$/);
  });

  it('summary ends with the verdict line', async () => {
    const s = await runRace(plain());
    const lines = summaryLines('plain', s);
    expect(lines.at(-1)).toBe('race plain: End of test: SUCCESS (0 violations)');
  });
});
