// SPDX-License-Identifier: GPL-2.0-only
// The permission scenarios on this machine's kernel, remount included
// (--allow-remount: this host is ours). Every tracefs line of
// /proc/self/mountinfo must read byte for byte as before each run, and a
// planted restore that forgets gid= must be caught on the real kernel.
import { afterAll, describe, expect, it } from 'vitest';
import { liveSkipReason, leftovers } from './live-env.js';
import { CATALOGUE } from '../../src/scenarios/catalogue.js';
import { NEEDS_REMOUNT, expectGid } from '../../src/scenarios/perm-remount-gid.js';
import { Checks } from '../../src/scenarios/checks.js';
import { openTracefs } from '../../src/tracefs/open.js';
import { runSuite } from '../../src/runner/run-suite.js';
import { runTeardown, onTeardown } from '../../src/runner/teardown.js';
import { DEFAULT_KINDS } from '../../src/runner/select.js';
import { C, isErr, native } from '../../src/native/index.js';
import {
  GidRemount,
  diffLines,
  gidOption,
  mountLineOf,
  readTracefsLines,
  remountFlags,
} from '../../src/tracefs/remount.js';
import type { ScenarioResult } from '../../src/report/types.js';

const live = describe.skipIf(!!liveSkipReason);
const PERM = CATALOGUE.filter((s) => s.id.startsWith('perm-'));

function explain(r: ScenarioResult): string {
  return [
    `${r.name} ${r.status} ${r.reason ?? ''}`,
    ...(r.notes ?? []),
    ...r.evidence.map((e) => `  ${e.op} ${e.path}: expected ${e.expected}, got ${e.got}`),
  ].join('\n');
}

async function runPerm(allowRemount: boolean) {
  const tracefs = openTracefs({ onTeardown });
  const report = await runSuite(tracefs, {
    scenarios: PERM,
    kinds: DEFAULT_KINDS,
    durationMs: 1000,
    threads: 2,
    allowRemount,
    onTeardown,
    bail: false,
    signal: new AbortController().signal,
    hooks: { log: () => undefined, progress: () => undefined },
  });
  return { tracefs, results: report.results };
}

live('permission scenarios on the running kernel', () => {
  afterAll(() => {
    runTeardown();
  });

  it('has the three perm scenarios in the catalogue', () => {
    expect(PERM.map((s) => s.id)).toEqual(['perm-unprivileged', 'perm-chmod-removed', 'perm-remount-gid']);
  });

  it('with allowRemount: every supported kind passes, and mountinfo reads byte for byte as before', async () => {
    const before = readTracefsLines();
    const { tracefs, results } = await runPerm(true);
    const after = readTracefsLines();
    for (const r of results) {
      if (!tracefs.kinds.includes(r.kind as never)) {
        expect(r.status).toBe('UNSUPPORTED');
        continue;
      }
      expect(r.status, explain(r)).toBe('PASS');
      expect(r.checks).toBeGreaterThan(10);
      expect(r.health?.ok, explain(r)).toBe(true);
    }
    expect(results.filter((r) => r.status === 'PASS').length).toBeGreaterThanOrEqual(3);
    expect(diffLines(before, after, mountLineOf(tracefs.root, before)?.mountId)).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  it('without allowRemount: perm-remount-gid is UNSUPPORTED with the reason, and nothing is remounted', async () => {
    const before = readTracefsLines();
    const { results } = await runPerm(false);
    const remount = results.filter((r) => r.scenario === 'perm-remount-gid');
    expect(remount.length).toBe(DEFAULT_KINDS.length);
    for (const r of remount) expect(r.status).toBe('UNSUPPORTED');
    expect(remount.some((r) => r.reason === NEEDS_REMOUNT)).toBe(true);
    expect(diffLines(before, readTracefsLines())).toEqual([]);
  });

  it('catches planted bad restores on the real kernel, then restores exactly', () => {
    const tracefs = openTracefs({ onTeardown });
    const before = readTracefsLines();
    const ours = mountLineOf(tracefs.root, before)!;
    const origGid = gidOption(ours.superOptions) ?? 0;
    const r = GidRemount.apply(tracefs.root, 4242, onTeardown);
    if ('error' in r) throw new Error(r.error);
    const flags = remountFlags(ours, C);
    try {
      // 1. A "restore" to the wrong gid: the mountinfo comparison quotes both lines.
      expect(isErr(native.mount('nodev', tracefs.root, 'tracefs', flags, `gid=${origGid + 4243}`))).toBe(false);
      const caught = diffLines(before, readTracefsLines(), ours.mountId);
      expect(caught.find((d) => d.mountId === ours.mountId)).toMatchObject({
        before: ours.raw,
        after: expect.stringContaining(`gid=${origGid + 4243}`),
      });

      // 2. A "restore" that names no gid=: measured on 6.18, mountinfo then shows the
      //    default again (byte for byte the original line) while every file keeps the
      //    remount's gid. Only the scenario's gid check of the files catches it.
      expect(isErr(native.mount('nodev', tracefs.root, 'tracefs', flags, 'gid=4242'))).toBe(false);
      expect(isErr(native.mount('nodev', tracefs.root, 'tracefs', flags))).toBe(false);
      const lines = diffLines(before, readTracefsLines(), ours.mountId);
      const exp = new Checks();
      expectGid(native, exp, [tracefs.root, `${tracefs.root}/events/enable`], origGid, 'after the planted restore');
      if (lines.length === 0) {
        expect(exp.outcome().status).toBe('FAIL');
        expect(exp.evidence[0]).toMatchObject({ expected: `gid ${origGid}`, got: 'gid 4242' });
      } else {
        process.stderr.write(`this kernel shows a remount without gid= in mountinfo: ${lines[0]!.after}\n`);
      }
    } finally {
      const back = r.restore();
      expect(isErr(back.mount)).toBe(false);
      expect(back.diffs).toEqual([]);
    }
    expect(diffLines(before, readTracefsLines(), ours.mountId)).toEqual([]);
    const after = new Checks();
    expectGid(native, after, [tracefs.root, `${tracefs.root}/events/enable`], origGid, 'after the real restore');
    expect(after.outcome().status).toBe('PASS');
  });

  it('restores from the teardown step alone (what SIGINT/SIGTERM run), once', () => {
    const tracefs = openTracefs({ onTeardown });
    const before = readTracefsLines();
    const ours = mountLineOf(tracefs.root, before)!;
    const r = GidRemount.apply(tracefs.root, 4242, onTeardown);
    if ('error' in r) throw new Error(r.error);
    expect(gidOption(mountLineOf(tracefs.root)!.superOptions)).toBe(4242);
    expect(runTeardown()).toEqual([]);
    expect(diffLines(before, readTracefsLines(), ours.mountId)).toEqual([]);
    expect(r.restore().diffs).toEqual([]); // the same result, no second remount
  });
});
