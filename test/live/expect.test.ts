// SPDX-License-Identifier: GPL-2.0-only
// `run --expect FILE` end to end on this kernel, with scenarios that pass
// here: a bad file exits 2 before tracefs is touched; an xfail entry over a
// passing scenario is XPASS (exit 1), a flaky one PASS (exit 0), a skip entry
// keeps it from running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, leftovers, liveSkipReason, ofLiveOtherRun, tracefsRoot } from './live-env.js';

const live = describe.skipIf(!!liveSkipReason);

live('run --expect', () => {
  let dir: string;
  const file = (name: string, entries: unknown[]): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, JSON.stringify({ schema: 'tracefs-regress/expect@1', entries }));
    return f;
  };
  const entry = {
    scenario: 'removed-files-enoent',
    kind: 'uprobe',
    release: '*',
    signature: 'no such line anywhere',
    why: 'planted',
  };
  const run = (f: string, ...more: string[]) =>
    execa(
      'node',
      [CLI, 'run', '-s', 'removed-files-enoent', '-p', 'uprobe', '--format', 'ktap', '--expect', f, ...more],
      { reject: false },
    );

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-expect-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a bad file exits 2 naming the entry and the fix, and writes nothing to tracefs', async () => {
    // Lines of runs going on elsewhere (tracefs is shared) are not this run's writes.
    const probes = () =>
      fs
        .readFileSync(`${tracefsRoot()}/uprobe_events`, 'utf8')
        .split('\n')
        .filter((l) => !ofLiveOtherRun(l));
    const before = probes();
    const r = await run(
      file('bad.json', [
        { ...entry, action: 'xfail' },
        { ...entry, action: 'xfial' },
      ]),
    );
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--expect .*bad\.json: entries\[1\]: "action" "xfial" is unknown: use xfail/);
    expect(r.stdout).toBe('');
    expect(probes()).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  it('an xfail entry over a scenario that passes here is XPASS and fails the run', async () => {
    const r = await run(file('xfail.json', [{ ...entry, action: 'xfail' }]));
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^# expect: .*planted.*\n(# .*\n)*not ok 1 removed-files-enoent\[uprobe\] # XPASS$/m);
    expect(r.stdout).toContain('# Totals: pass:0 fail:0 xfail:0 xpass:1 skip:0 error:0');
  });

  it('a flaky entry lets the pass stand', async () => {
    const r = await run(file('flaky.json', [{ ...entry, action: 'flaky' }]));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok 1 removed-files-enoent\[uprobe\]$/m);
  });

  it('a skip entry keeps the variant from running (exit 4: nothing ran); --ignore-skips runs it', async () => {
    const f = file('skip.json', [{ ...entry, action: 'skip' }]);
    const r = await run(f);
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stdout).toMatch(
      /^# skipped: known kernel bug, not run on \S+: planted \(.*skip\.json entry 0; --ignore-skips runs it\)\nok 1 removed-files-enoent\[uprobe\] # SKIP$/m,
    );
    const again = await run(f, '--ignore-skips');
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^ok 1 removed-files-enoent\[uprobe\]$/m);
    expect(leftovers()).toEqual([]);
  });
});
