// SPDX-License-Identifier: GPL-2.0-only
// The wrapper around the native run: validation, progress, stop, setup errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { C, native } from '../../../src/native/index.js';
import {
  RaceConfigError,
  raceConfigProblems,
  runRace,
  summaryLines,
  type RaceConfig,
} from '../../../src/race/index.js';

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
  it('the native parser refuses a truncating or creating write and a NUL in any path (TypeError)', () => {
    const write = (flags: number) => ({ kind: 'write' as const, path: path.join(dir, 'f'), line: 'x', flags });
    expect(() => native.raceStart({ ...plain(), create: [write(C.O_WRONLY | C.O_TRUNC)] })).toThrow(
      /O_TRUNC or O_CREAT/,
    );
    expect(() => native.raceStart({ ...plain(), create: [write(C.O_WRONLY | C.O_CREAT)] })).toThrow(
      /O_TRUNC or O_CREAT/,
    );
    expect(() => native.raceStart({ ...plain(), files: [`${dir}/f\0/x`] })).toThrow(/contains NUL/);
    expect(() => native.raceStart({ ...plain(), dirs: [{ path: dir, names: ['f\0x'] }] })).toThrow(/contains NUL/);
  });

  it('names each problem and how to fix it', () => {
    expect(raceConfigProblems(plain())).toEqual([]);
    expect(raceConfigProblems(plain({ threads: 0 }))).toEqual(['threads must be an integer 1..64 (got 0)']);
    expect(raceConfigProblems(plain({ threads: 65 }))[0]).toMatch(/threads must be an integer 1\.\.64/);
    expect(raceConfigProblems(plain({ durationMs: 86_400_001 }))[0]).toMatch(/a day/);
    expect(raceConfigProblems(plain({ files: [] }))[0]).toMatch(/nothing to race/);
    expect(raceConfigProblems({ ...plain(), create: [] })[0]).toMatch(/create must be a non-empty array/);
    expect(raceConfigProblems({ ...plain(), treads: 2 } as RaceConfig)).toContain('unknown option treads');
    expect(raceConfigProblems(plain({ remove: [{ kind: 'rm' as 'rmdir', path: '/x' }] }))[0]).toMatch(
      /kind must be one of/,
    );
  });

  it('racers and stepAsideUs are checked, with what the special values mean', () => {
    expect(raceConfigProblems(plain({ racers: -1, stepAsideUs: 0 }))).toEqual([]);
    expect(raceConfigProblems(plain({ racers: -2 }))).toEqual([
      'racers must be an integer -1..64 (-1: one per online CPU) (got -2)',
    ]);
    expect(raceConfigProblems(plain({ racers: 65 }))[0]).toMatch(/racers must be an integer -1\.\.64/);
    expect(raceConfigProblems(plain({ stepAsideUs: 1.5 }))[0]).toMatch(
      /stepAsideUs must be an integer 0\.\.1000000 \(0: workers never step aside\)/,
    );
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
    const s = await runRace(
      plain({
        threads: 2,
        create: [{ kind: 'mkdir', path: d }],
        remove: [{ kind: 'rmdir', path: d }],
        files: [path.join(d, 'enable')],
      }),
    );
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

  it('heldFds counts the ring slots filled, never the fds rotated through them', async () => {
    // 2 workers x 1 dir x 4 slots: 300 cycles rotate each ring dozens of times. The dir stays 2 ms
    // each cycle, so the opens that fill the rings succeed also on a loaded machine.
    const d = path.join(dir, 'held');
    const s = await runRace(
      plain({
        threads: 2,
        durationMs: 0,
        maxCycles: 300,
        dwellPresentUs: 2000,
        dwellAbsentUs: 0,
        heldDirfds: 4,
        create: [{ kind: 'mkdir', path: d }],
        remove: [{ kind: 'rmdir', path: d }],
        files: [],
        dirs: [{ path: d, names: ['x'] }],
      }),
    );
    expect(s.error).toBeUndefined();
    const opened = Object.values(s.ops['dirfd-open'].errnos).reduce((n, e) => n + (e.OK ?? 0), 0);
    expect(opened).toBeGreaterThan(8);
    expect(s.heldFds).toBeGreaterThan(0);
    expect(s.heldFds).toBeLessThanOrEqual(8);
  });

  it('summary ends with the verdict line', async () => {
    const s = await runRace(plain());
    const lines = summaryLines('plain', s);
    expect(lines.at(-1)).toBe('race plain: End of test: SUCCESS (0 violations)');
  });
});

describe('the step-aside gate', () => {
  it("workers beyond the racers step aside from the controller's steps; the run stays clean", async () => {
    const s = await runRace(plain({ threads: 4, racers: 1, dwellPresentUs: 0, dwellAbsentUs: 0 }));
    expect(s.racers).toBe(1);
    expect(s.stepAsides).toBeGreaterThan(0);
    expect(s.violationCount).toBe(0);
    expect(s.cycles).toBeGreaterThan(0);
    expect(summaryLines('t', s)[0]).toMatch(/4 threads \(1 racing every write\), controller nice/);
    // Root boosts the controller; anyone else runs it at nice 0 and says why.
    if (process.getuid?.() === 0) expect(s.controllerNice).toBe(-20);
    else
      expect(s.controllerNice === -20 || /^setpriority\(2\) failed, E[A-Z]+$/.test(s.controllerBoostError ?? '')).toBe(
        true,
      );
  });

  it('stepAsideUs 0: every worker races every write', async () => {
    const s = await runRace(plain({ threads: 3, racers: 1, stepAsideUs: 0, dwellPresentUs: 0, dwellAbsentUs: 0 }));
    expect(s.racers).toBe(3);
    expect(s.stepAsides).toBe(0);
    // No crowd, no boost: the controller keeps the workers' nice.
    expect(s.controllerNice).toBe(0);
    expect(s.controllerBoostError).toBeUndefined();
  });

  it('racers default to one per online CPU, at most the threads', async () => {
    const s = await runRace(plain({ threads: 64, durationMs: 200 }));
    expect(s.racers).toBe(Math.min(64, os.availableParallelism()));
    const t = await runRace(plain({ threads: 1, racers: 8 }));
    expect(t.racers).toBe(1);
  });

  it('a stop ends a run whose workers wait at a gate held by a slow step', async () => {
    // Every create is refused with EBUSY until retries run out: the gate stays
    // closed; the crowd must still leave within its bound when stopped.
    const d = path.join(dir, 'full');
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'x'), '');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const s = await runRace(
      plain({
        threads: 4,
        racers: 1,
        durationMs: 60_000,
        remove: [{ kind: 'rmdir', path: d }],
        create: [{ kind: 'create-file', path: path.join(dir, 'f') }],
      }),
      { signal: ac.signal },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(s.stopReason).toBe('error');
  });
});
