// SPDX-License-Identifier: GPL-2.0-only
// `kernel bisect --releases` end to end with the archive of 2026-12-04 and a
// fake boot injected (no QEMU): the answer, the JSON with every step's
// evidence, the exit codes, and a signal that stops it with the steps so far.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/errors.js';
import { releaseBisectMain, type ReleaseBisectDeps } from '../../../../src/kernel/bisect/main.js';
import { selectBisectReleases, type ReleaseBisectReport } from '../../../../src/kernel/bisect/releases.js';
import type { Boot } from '../../../../src/kernel/bisect/search.js';
import { compareVersions } from '../../../../src/vm/kernels/debian-order.js';
import { archive } from '../../vm/debian-fixture.js';

const ALL = archive();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const OOPS = 'BUG: kernel NULL pointer dereference, address: 0000000000000050';

/** Deps whose boot says bad for releases before `fixedIn` (upstream), good from it; records the boots and the guest args. */
function fake(fixedIn: string | undefined, opts: { onBoot?: (abi: string) => void } = {}) {
  const out: string[] = [];
  const booted: string[] = [];
  const guestArgs: string[][] = [];
  const deps: ReleaseBisectDeps = {
    releases: async (spec) => selectBisectReleases(spec, ALL),
    boot: async (r, b, io): Promise<Boot> => {
      booted.push(`${r.abi}#${b}`);
      guestArgs.push(io.guestArgs);
      opts.onBoot?.(r.abi);
      const bad = !fixedIn || compareVersions(r.upstream!, fixedIn) < 0;
      return bad
        ? { verdict: 'bad', seconds: 50, why: 'x', failing: 'race-getdents[uprobe] FAIL: getdents ...: the thread died inside it', console: OOPS }
        : { verdict: 'good', seconds: 60, why: '1 result(s) passed: race-getdents[uprobe]' };
    },
    say: () => {},
    print: (s) => out.push(s),
  };
  return { deps, out, booted, guestArgs };
}

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-bisect-rel-'));
  dirs.push(d);
  return d;
}

describe('kernel bisect --releases (fake boots)', () => {
  it('names the first good release of a fix, its changelog range, every step; JSON too', async () => {
    const f = fake('6.12.118');
    const json = path.join(tmp(), 'out.json');
    const code = await releaseBisectMain(
      { releases: 'debian:6.12.*', boots: '2', json },
      ['-s', 'race-getdents', '-p', 'uprobe'],
      '/nonexistent',
      f.deps,
    );
    expect(code).toBe(0);
    const text = f.out.join('');
    expect(text.split('\n')[0]).toBe(
      'first good release: 6.12.118+deb12 (the last bad is 6.12.117+deb13): the failure stops there',
    );
    expect(text).toContain('https://cdn.kernel.org/pub/linux/kernel/v6.x/ChangeLog-6.12.118');
    expect(text).toContain(`console: ${OOPS}`);
    expect(text).toMatch(/catch rate at the bad end: 2\/2 boots \(p = 1\.00\)/);
    const r = JSON.parse(fs.readFileSync(json, 'utf8')) as ReleaseBisectReport;
    expect(r.schema).toBe('tracefs-regress/bisect-releases@1');
    expect(r.result).toMatchObject({
      kind: 'change',
      firstGood: '6.12.118+deb12',
      before: { release: '6.12.117+deb13', verdict: 'bad', upstream: '6.12.117' },
      after: { release: '6.12.118+deb12', verdict: 'good' },
      changelog: { upstream: ['6.12.118'], git: 'v6.12.117..v6.12.118' },
    });
    expect(r.steps[0]).toMatchObject({ release: '6.12.43+deb12', role: 'end', verdict: 'bad' });
    expect(r.steps[0]!.boots).toHaveLength(2);
    expect(r.steps[1]).toMatchObject({ release: '6.12.118+deb13', role: 'end', verdict: 'good' });
    expect(r.steps.length).toBeLessThanOrEqual(8);
    // Each guest runs the user's options with the known crashers as plain failures.
    expect(new Set(f.guestArgs.map((a) => a.join(' ')))).toEqual(
      new Set(['-s race-getdents -p uprobe --ignore-known-crashers']),
    );
  });

  it('all bad: "no change of verdict", exit 0, only the ends booted', async () => {
    const f = fake(undefined);
    const code = await releaseBisectMain({ releases: 'debian:6.18.*', boots: '2' }, [], '/nonexistent', f.deps);
    expect(code).toBe(0);
    expect(f.out.join('').split('\n')[0]).toMatch(/^no change of verdict in range: all bad .*none of these releases stops the failure/);
    expect(f.booted).toEqual(['6.18.5+deb13#0', '6.18.5+deb13#1', '6.18.15+deb13#0', '6.18.15+deb13#1']);
  });

  it('JSON on stdout with --json -', async () => {
    const f = fake(undefined);
    await releaseBisectMain({ releases: 'debian:6.18.*', boots: '1', json: '-' }, [], '/nonexistent', f.deps);
    expect(JSON.parse(f.out.join('')).result.kind).toBe('none');
  });

  it('bad input is a UsageError before any boot, and writes nothing', async () => {
    const d = tmp();
    const json = path.join(d, 'out.json');
    for (const [o, args] of [
      [{ releases: 'debian:6.12', json }, []],
      [{ releases: 'debian:6.18.12..6.18.12', json }, []],
      [{ releases: 'debian:6.18.5..6.18.5', json }, []],
      [{ releases: 'debian:6.12.*', boots: '0', json }, []],
      [{ releases: 'debian:6.12.*', json }, ['--format', 'ktap']],
      [{ releases: 'debian:6.12.*', timeout: 'soon', json }, []],
    ] as const) {
      const f = fake('6.12.118');
      await expect(releaseBisectMain(o, [...args], '/nonexistent', f.deps)).rejects.toBeInstanceOf(UsageError);
      expect(f.booted).toEqual([]);
    }
    expect(fs.readdirSync(d)).toEqual([]);
  });

  it('SIGINT stops it cleanly: exit 130, the steps so far printed and written', async () => {
    const json = path.join(tmp(), 'out.json');
    let n = 0;
    const f = fake('6.12.118', {
      onBoot: () => {
        if (++n === 3) process.emit('SIGINT', 'SIGINT');
      },
    });
    const code = await releaseBisectMain({ releases: 'debian:6.12.*', boots: '2', json }, [], '/nonexistent', f.deps);
    expect(code).toBe(130);
    expect(f.booted).toHaveLength(3);
    const r = JSON.parse(fs.readFileSync(json, 'utf8')) as ReleaseBisectReport;
    expect(r.result).toMatchObject({ kind: 'stopped', stoppedBy: 'SIGINT' });
    expect(r.steps.map((s) => s.release)).toEqual(['6.12.43+deb12', '6.12.118+deb13']);
    expect(r.steps[1]).toMatchObject({ interrupted: true });
    expect(f.out.join('')).toMatch(/^stopped by SIGINT/);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});
