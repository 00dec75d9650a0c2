// SPDX-License-Identifier: GPL-2.0-only
// The checker must catch what a broken kernel would do. Plain files stand in
// for an event: a "remove" that leaves the file (a stale dentry answering),
// a file that vanishes while "present" (the negative-dentry bug), a dirfd
// that still reaches the new generation. A real unlink must pass clean.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRace, type RaceConfig, type RaceStats } from '../../../src/race/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr_race_'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const base = (): Pick<RaceConfig, 'threads' | 'durationMs' | 'dwellPresentUs' | 'dwellAbsentUs' | 'progressMs'> => ({
  threads: 2,
  durationMs: 400,
  dwellPresentUs: 200,
  dwellAbsentUs: 200,
  progressMs: 0,
});

/**
 * For checks that need enough cycles rather than a span of time: on a loaded
 * 2-CPU host 400 ms can pass with no cycle at all. Stops at `cycles`, well
 * under a second when the machine is idle.
 */
const byCycles = (cycles = 300): Pick<RaceConfig, 'durationMs' | 'maxCycles'> => ({
  durationMs: 20_000,
  maxCycles: cycles,
});

function rules(s: RaceStats): Set<string> {
  return new Set(s.violations.map((v) => `${v.rule} ${v.op} ${v.got}`));
}

function sumRules(s: RaceStats): number {
  return Object.values(s.violationsByRule).reduce((a, b) => a + b, 0);
}

describe('race checker with plain files', () => {
  it('a real unlink/rmdir reports zero violations and races every op', async () => {
    const d = path.join(dir, 'ev');
    const f = path.join(d, 'enable');
    const s = await runRace({
      ...base(),
      create: [
        { kind: 'mkdir', path: d },
        { kind: 'create-file', path: f },
      ],
      remove: [
        { kind: 'unlink', path: f },
        { kind: 'rmdir', path: d },
      ],
      files: [f],
      dirs: [{ path: d, names: ['enable'] }],
      list: { dir, name: 'ev' },
      // A plain file keeps answering writes through an fd held across unlink;
      // only tracefs refuses them (ENODEV), so no enable writer here.
      weights: { openRead: 4, stat: 2, openat: 2, fstatat: 2, getdents: 1 },
    });
    expect(s.violations).toEqual([]);
    expect(s.violationCount).toBe(0);
    expect(s.violationsByRule).toEqual({});
    expect(s.stopReason).toBe('duration');
    expect(s.cycles).toBeGreaterThan(0);
    for (const k of ['open-read', 'stat', 'openat', 'fstatat', 'getdents'] as const)
      expect(s.ops[k].count).toBeGreaterThan(0);
    expect(s.ops['open-read'].errnos.absent.OK).toBeUndefined();
    expect(fs.existsSync(d)).toBe(false);
  });

  it('a remove that leaves the file in place: success where ENOENT is due', async () => {
    const f = path.join(dir, 'enable');
    const s = await runRace({
      ...base(),
      create: [{ kind: 'create-file', path: f }],
      remove: [{ kind: 'create-file', path: path.join(dir, 'unrelated') }],
      files: [f],
      enable: f,
      list: { dir, name: 'enable' },
    });
    const r = rules(s);
    expect(r).toContain('absent-not-enoent open-read success');
    expect(r).toContain('absent-not-enoent stat success');
    expect(r).toContain('absent-not-enoent enable-write success');
    expect(r).toContain('listed-after-removal getdents listed');
    expect([...r].some((x) => x.startsWith('write-after-removal enable-write success'))).toBe(true);
    const v = s.violations.find((x) => x.op === 'open-read')!;
    expect(v).toMatchObject({
      path: f,
      expected: 'ENOENT',
      got: 'success',
      phaseBefore: 'absent',
      phaseAfter: 'absent',
    });
    expect(v.generationBefore % 2).toBe(1);
    expect(typeof v.thread).toBe('number');
    expect(v.endUs).toBeGreaterThanOrEqual(v.startUs);
  });

  it('with most workers stepping aside, a stale file is still caught, by the crowd too', async () => {
    const f = path.join(dir, 'enable');
    const s = await runRace({
      ...base(),
      // More cycles than the others: under a loaded host (the whole unit suite
      // at once) the stepping-aside crowd gets few chances per cycle.
      ...byCycles(6000),
      threads: 6,
      racers: 1,
      create: [{ kind: 'create-file', path: f }],
      remove: [{ kind: 'create-file', path: path.join(dir, 'unrelated') }],
      files: [f],
      weights: { openRead: 1, stat: 1 },
    });
    expect(s.stepAsides).toBeGreaterThan(0);
    expect(rules(s)).toContain('absent-not-enoent open-read success');
    expect(s.violations.some((v) => typeof v.thread === 'number' && v.thread >= 1)).toBe(true);
  });

  it("a file recreated behind the counter's back is caught too", async () => {
    const f = path.join(dir, 'format');
    const s = await runRace({
      ...base(),
      create: [{ kind: 'create-file', path: f }],
      remove: [
        { kind: 'unlink', path: f },
        { kind: 'create-file', path: f },
      ],
      files: [f],
      weights: { openRead: 1, stat: 1 },
    });
    expect(rules(s)).toContain('absent-not-enoent open-read success');
    expect(s.violationCount).toBeGreaterThanOrEqual(s.violations.length);
    expect(s.violations.length).toBeLessThanOrEqual(100);
    expect(sumRules(s)).toBe(s.violationCount);
  });

  it('a file that vanishes while present: ENOENT where success is due (negative dentry)', async () => {
    const f = path.join(dir, 'id');
    const s = await runRace({
      ...base(),
      create: [
        { kind: 'create-file', path: f },
        { kind: 'unlink', path: f },
      ],
      remove: [{ kind: 'create-file', path: path.join(dir, 'unrelated') }],
      files: [f],
      weights: { openRead: 1, stat: 1 },
    });
    const r = rules(s);
    expect(r).toContain('present-enoent open-read ENOENT');
    expect(r).toContain('present-enoent stat ENOENT');
    const v = s.violations.find((x) => x.op === 'stat')!;
    expect(v).toMatchObject({ expected: 'success', got: 'ENOENT', phaseBefore: 'present', phaseAfter: 'present' });
    expect(v.generationBefore % 2).toBe(0);
  });

  it('a dirfd that reaches the next generation is a stale-dirfd violation', async () => {
    const f = path.join(dir, 'enable');
    // The dir survives the "removal", so an old dirfd finds the new file.
    const s = await runRace({
      ...base(),
      create: [{ kind: 'create-file', path: f }],
      remove: [{ kind: 'unlink', path: f }],
      dirs: [{ path: dir, names: ['enable'] }],
      weights: { openat: 1, fstatat: 1 },
    });
    const r = rules(s);
    expect(r).toContain('stale-dirfd openat success');
    expect(r).toContain('stale-dirfd fstatat success');
  });

  it('a write through an enable fd held across removal that succeeds is caught', async () => {
    // A plain file accepts writes through an fd kept across unlink, as a
    // kernel reaching a freed event would; tracefs must answer ENODEV.
    const f = path.join(dir, 'enable');
    const s = await runRace({
      ...base(),
      create: [{ kind: 'create-file', path: f }],
      remove: [{ kind: 'unlink', path: f }],
      enable: f,
      weights: { heldWrite: 1 },
    });
    expect(s.ops['held-write'].count).toBeGreaterThan(0);
    const v = s.violations.find((x) => x.op === 'held-write');
    expect(v).toMatchObject({ rule: 'write-after-removal', expected: 'ENODEV' });
    expect(v!.got).toMatch(/^success \(wrote [01]\)$/);
  });

  it('a removal that succeeds while enabled is reported by the controller', async () => {
    const f = path.join(dir, 'enable');
    const s = await runRace({
      ...base(),
      ...byCycles(),
      create: [{ kind: 'create-file', path: f }],
      remove: [{ kind: 'unlink', path: f }],
      files: [f],
      enable: f,
      weights: { openRead: 1 },
      busyCheckEvery: 1,
    });
    expect(s.busyChecks).toBeGreaterThan(0);
    const v = s.violations.find((x) => x.rule === 'remove-while-enabled');
    expect(v).toMatchObject({ thread: 'controller', expected: 'EBUSY', got: 'success' });
    expect(fs.existsSync(f)).toBe(false);
  });

  it('is not judged while workers may write enable (held fds of this generation too): a "0" lets a correct removal through', async () => {
    const f = path.join(dir, 'busy-held');
    const s = await runRace({
      ...base(),
      ...byCycles(),
      create: [{ kind: 'create-file', path: f }],
      remove: [{ kind: 'unlink', path: f }],
      files: [f],
      enable: f,
      weights: { openRead: 1, heldWrite: 1 },
      busyCheckEvery: 1,
    });
    expect(s.busyChecks).toBeGreaterThan(0);
    expect(s.violations.filter((x) => x.rule === 'remove-while-enabled')).toEqual([]);
  });
});
