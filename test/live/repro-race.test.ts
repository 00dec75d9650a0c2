// SPDX-License-Identifier: GPL-2.0-only
// The race reproducers against this machine's kernel, which passes the two
// races it may run (race-reopen, race-stale-dirfd; the others oops it): the
// static programs say `not reproduced` and exit 0, leave nothing tfsr_
// (also when interrupted), exit 4 for kprobes (no kprobe_events here), and,
// built with the self-test's inverted rules or faults
// (test/unit/repro/race-selftest.ts), show they can say REPRODUCED.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeKind } from '../../src/model.js';
import { renderRace } from '../../src/repro/race.js';
import { RACE_SCENARIOS } from '../../src/scenarios/race-catalogue.js';
import { INVERTED_RULES, withFaults } from '../unit/repro/race-selftest.js';
import { leftovers, liveSkipReason, tfsrObjects, waitFor } from './live-env.js';

const live = describe.skipIf(!!liveSkipReason);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr_repro_race_live_'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The scenario's program for `kind`, built statically (selftest: a test-only build); its path. */
function build(id: string, kind: ProbeKind, selftest?: 'inverted' | 'faults'): string {
  const scenario = RACE_SCENARIOS.find((s) => s.id === id)!;
  const os_ = { release: os.release(), version: os.version() };
  const rules = selftest === 'inverted' ? { rules: INVERTED_RULES } : {};
  const { text } = renderRace({ scenario, kind, kernel: os_, params: { threads: 2, durationMs: 5000 }, ...rules });
  const name = `${id}-${kind}${selftest ? `-${selftest}` : ''}`;
  const src = path.join(dir, `${name}.c`);
  fs.writeFileSync(src, selftest === 'faults' ? withFaults(text) : text);
  const bin = path.join(dir, name);
  execFileSync('cc', ['-O2', '-static', '-pthread', '-Wall', '-Werror', '-o', bin, src], { stdio: 'pipe' });
  return bin;
}

/** Objects of the program run as `pid` (tfsr_<pid>_...). */
const ownObjects = (pid: number | undefined) => tfsrObjects().filter((l) => l.includes(`tfsr_${pid}_`));

live('race reproducers on this host (uprobes)', () => {
  for (const id of ['race-reopen', 'race-stale-dirfd']) {
    it(`${id}: runs 5 s, says not reproduced, exits 0 and leaves nothing`, async () => {
      const bin = build(id, 'uprobe');
      const child = execa(bin, ['-d', '5'], { reject: false });
      // The race is under way once its group shows up in tracefs.
      expect(await waitFor(() => ownObjects(child.pid).length > 0, 10_000)).toBe(true);
      const r = await child;
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('not reproduced');
      // It raced: cycles and ops in the last statistics line.
      const m = /race: [\d.]+ s, (\d+) cycles, (\d+) ops/.exec(r.stderr.split('\n').reverse().join('\n'));
      expect(Number(m?.[1])).toBeGreaterThan(10);
      expect(Number(m?.[2])).toBeGreaterThan(1000);
      expect(ownObjects(child.pid)).toEqual([]);
      expect(leftovers()).toEqual([]);
    });

    it(`${id}: SIGINT mid-run cleans up (exit 130) and leaves nothing`, async () => {
      const bin = build(id, 'uprobe');
      const child = execa(bin, ['-d', '60'], { reject: false });
      expect(await waitFor(() => ownObjects(child.pid).length > 0, 10_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 1000));
      const sent = Date.now();
      child.kill('SIGINT');
      const r = await child;
      expect(r.exitCode, r.stderr).toBe(130);
      expect(Date.now() - sent).toBeLessThan(10_000);
      expect(r.stdout).not.toMatch(/REPRODUCED/);
      expect(ownObjects(child.pid)).toEqual([]);
    });
  }

  it('with the rules inverted (a self-test build) it reports REPRODUCED and exits 1', async () => {
    const bin = build('race-stale-dirfd', 'uprobe', 'inverted');
    const child = execa(bin, ['-d', '5'], { reject: false });
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^REPRODUCED: \S+ \/\S+.*: expected anything but \S+, got \S+/m);
    expect(ownObjects(child.pid)).toEqual([]);
    // Without the self-test build the flag does not exist.
    const plain = await execa(build('race-stale-dirfd', 'uprobe'), ['-X', 'invert'], { reject: false });
    expect(plain.exitCode).toBe(2);
  });

  it.each([
    ['die', /got the thread died inside it \(kernel oops\?\)/],
    ['stall', /got no return \(thread stuck in the kernel\)/],
  ])('the watchdog reports a worker that a fault made %s inside a system call (self-test -X)', async (fault, got) => {
    const bin = build('race-reopen', 'uprobe', 'faults');
    const child = execa(bin, ['-d', '20', '-s', '1', '-X', fault], { reject: false });
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^REPRODUCED: stat \(self-test fault\): expected the system call returns, /m);
    expect(r.stdout).toMatch(got);
    expect(ownObjects(child.pid)).toEqual([]);
  });

  it('the watchdog reports a controller killed inside a removal (self-test -X ctl-die)', async () => {
    const child = execa(build('race-reopen', 'uprobe', 'faults'), ['-d', '20', '-X', 'ctl-die'], {
      reject: false,
    });
    const r = await child;
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /^REPRODUCED: remove \S+\/uprobe_events: -:tfsr_\d+_[0-9a-f]{6}_g1\/e1: expected the system call returns, got the controller thread died inside it/m,
    );
    // The probe it left present is removed by the cleanup.
    expect(ownObjects(child.pid)).toEqual([]);
  });

  it('a kprobe program exits 4 here (no kprobe_events) and creates nothing', async () => {
    const hasKprobes = fs.existsSync('/sys/kernel/tracing/kprobe_events');
    const child = execa(build('race-reopen', 'kprobe'), ['-d', '1'], { reject: false });
    const r = await child;
    if (hasKprobes) expect(r.exitCode).toBe(0);
    else {
      expect(r.exitCode).toBe(4);
      expect(r.stdout).toMatch(/kernel lacks kprobe_events/);
    }
    expect(ownObjects(child.pid)).toEqual([]);
  });
});
