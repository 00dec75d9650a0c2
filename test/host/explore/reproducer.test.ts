// SPDX-License-Identifier: GPL-2.0-only
// A finding's reproducer through the suite's own generators: the broken call
// checked last (sequence), the health counters when the kernel complained
// (health), a race action's shape (race); each compiles with the command its
// header gives. The check is the model's allowed codes, never the observed result.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOf, raceKind, racePlanOf, reproducerFor } from '../../../src/explore/reproducer.js';
import type { Execution, ModelViolation, Program, RaceAction } from '../../../src/explore/types.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-explore-repro-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const kernel = { release: '6.12.0-test', version: '#1' };
const names = { root: '/sys/kernel/tracing', id: 'tfsr_1_ab', target: '/bin/true:0x1000' };

async function builds(text: string, name: string): Promise<void> {
  const src = path.join(dir, name);
  fs.writeFileSync(src, text);
  const r = await execa('cc', ['-O2', '-pthread', '-fsyntax-only', src], { reject: false, all: true });
  expect(r.all ?? '', `cc -fsyntax-only ${src}`).toBe('');
  expect(r.exitCode).toBe(0);
}

const program: Program = {
  actions: [
    { kind: 'call', call: 'open', args: [{ t: '{root}/uprobe_events' }, { n: 1025 }, { n: 0 }] },
    { kind: 'call', call: 'write', args: [{ fd: 0 }, { t: 'p:{id}_g0/e0 {target}' }] },
    { kind: 'call', call: 'stat', args: [{ t: '{root}/events/{id}_g0/e0/enable' }] },
    { kind: 'call', call: 'write', args: [{ fd: 0 }, { t: '-:{id}_g0/e0' }] },
    { kind: 'call', call: 'stat', args: [{ t: '{root}/events/{id}_g0/e0/enable' }] },
    { kind: 'call', call: 'close', args: [{ fd: 0 }] },
  ],
};
const ran = (violations: ModelViolation[]): Execution => ({
  names,
  violations,
  results: [
    { kind: 'call', outcome: { ok: 'number', value: 5 } },
    { kind: 'call', outcome: { ok: 'number', value: 20 } },
    { kind: 'call', outcome: { ok: 'stat', mode: 0o100644, uid: 0, gid: 0 } },
    { kind: 'call', outcome: { ok: 'number', value: 12 } },
    { kind: 'call', outcome: { ok: 'stat', mode: 0o100644, uid: 0, gid: 0 } },
    { kind: 'call', outcome: { ok: 'number', value: 0 } },
  ],
});
const stale: ModelViolation = {
  action: 4,
  op: 'stat',
  path: '{root}/events/{id}_g0/e0/enable',
  expected: 'ENOENT (removed)',
  got: 'success',
  allowed: ['ENOENT'],
};

describe('checkOf', () => {
  it('errnos, success, and nothing the C can check', () => {
    expect(checkOf(stale)).toEqual({ kind: 'errno', codes: ['ENOENT'] });
    expect(checkOf({ ...stale, allowed: ['OK'] })).toEqual({ kind: 'success' });
    expect(checkOf({ ...stale, allowed: ['OK', 'EINVAL'] })).toEqual({ kind: 'errno', codes: ['OK', 'EINVAL'] });
    expect(checkOf({ ...stale, allowed: ['OK', 'something else'] })).toBeUndefined();
    expect(checkOf({ ...stale, allowed: undefined })).toBeUndefined();
  });
});

describe('reproducerFor', () => {
  it('a broken call: the calls up to it, then the check of what the model allowed', async () => {
    const r = reproducerFor(program, ran([stale]), kernel);
    expect(r?.mode).toBe('sequence');
    expect(r?.text).toContain('ENOENT');
    expect(r?.text).toContain('tr_stat'); // the broken stat is the last call: close (after it) is not replayed
    await builds(r!.text, 'seq.c');
  });
  it('a set with OK in it: success passes the check too', async () => {
    const r = reproducerFor(program, ran([{ ...stale, allowed: ['OK', 'EINVAL'] }]), kernel);
    expect(r?.mode).toBe('sequence');
    expect(r?.text).toContain('if (!r.err || r.err == EINVAL) tr_finish();');
    await builds(r!.text, 'oneof.c');
  });

  it('a health violation: every call, then the counters', async () => {
    const h: ModelViolation = {
      action: -1,
      op: 'kernel health',
      path: 'x',
      expected: 'no oops',
      got: 'warn_count 0->1',
    };
    const r = reproducerFor(program, ran([h]), kernel);
    expect(r?.mode).toBe('health');
    await builds(r!.text, 'health.c');
  });
  it('a broken race action: the race program of its shape', async () => {
    const race: RaceAction = {
      kind: 'race',
      config: {
        threads: 3,
        durationMs: 1000,
        create: [{ kind: 'write', path: 'uprobe_events', line: 'p:{id}_g0/e0 {target}', flags: 1025 }],
        remove: [{ kind: 'write', path: 'uprobe_events', line: '-:{id}_g0/e0', flags: 1025 }],
        dirs: [
          { path: 'events/{id}_g0/e0', names: ['enable'] },
          { path: 'events/{id}_g0', names: ['e0'] },
        ],
        list: { dir: 'events/{id}_g0', name: 'e0' },
        weights: { getdents: 2, stat: 1 },
      },
    };
    expect(raceKind(race)).toBe('uprobe');
    expect(racePlanOf(race)).toEqual({ target: 'event', sibling: false, weights: { getdents: 2, stat: 1 } });
    const p: Program = { actions: [...program.actions, race] };
    const e: Execution = {
      ...ran([]),
      violations: [{ action: 6, op: 'getdents', path: 'g', expected: 'x', got: 'y' }],
    };
    const r = reproducerFor(p, e, kernel);
    expect(r?.mode).toBe('race');
    expect(r?.file).toBe('explore-race[uprobe].c');
    await builds(r!.text, 'race.c');
  });
});
