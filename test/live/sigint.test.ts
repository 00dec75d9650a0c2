// SPDX-License-Identifier: GPL-2.0-only
// SIGINT (and SIGTERM, SIGHUP) in the middle of a race: the workers stop within a
// second, the partial statistics are printed, and nothing tfsr_ remains.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, leftovers, liveSkipReason, tfsrObjects, waitFor } from './live-env.js';

const live = describe.skipIf(!!liveSkipReason);

live('interrupting a run', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} mid-race stops within a second or two and leaves nothing tfsr_`, async () => {
      expect(leftovers()).toEqual([]);
      const child = execa(
        'node',
        [CLI, 'run', '-s', 'race-reopen', '-p', 'uprobe', '--duration', '60s', '--format', 'json'],
        { reject: false },
      );
      const ownGroup = () => tfsrObjects().some((l) => l.includes(`tfsr_${child.pid}_`));
      // The race is under way once our group shows up in tracefs.
      expect(await waitFor(ownGroup, 20_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      const sent = Date.now();
      child.kill(signal);
      const r = await child;
      const tookMs = Date.now() - sent;
      expect(r.exitCode, r.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(tookMs).toBeLessThan(5000);
      expect(leftovers()).toEqual([]);
      // the partial report, with the statistics of the interrupted race
      const report = JSON.parse(r.stdout) as {
        interrupted?: string;
        results: { name: string; stats?: { cycles?: number } }[];
      };
      expect(report.interrupted).toBeTruthy();
      const race = report.results.find((x) => x.name === 'race-reopen[uprobe]');
      expect(race?.stats?.cycles).toBeGreaterThan(0);
    });
  }

  it('SIGHUP (the terminal closed) tears down like SIGTERM: exit 129, the --output report written, nothing tfsr_ left', async () => {
    expect(leftovers()).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-sighup-'));
    const out = path.join(dir, 'report.json');
    try {
      const child = execa(
        'node',
        [CLI, 'run', '-s', 'race-reopen', '-p', 'uprobe', '--duration', '60s', '--format', 'json', '--output', out],
        { reject: false },
      );
      const ownGroup = () => tfsrObjects().some((l) => l.includes(`tfsr_${child.pid}_`));
      expect(await waitFor(ownGroup, 20_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      const sent = Date.now();
      child.kill('SIGHUP');
      const r = await child;
      expect(r.exitCode, `${r.signal ?? ''} ${r.stderr}`).toBe(129);
      expect(Date.now() - sent).toBeLessThan(5000);
      expect(leftovers()).toEqual([]);
      const report = JSON.parse(fs.readFileSync(out, 'utf8')) as {
        interrupted?: string;
        results: { name: string; cutShort?: string; stats?: { cycles?: number } }[];
      };
      expect(report.interrupted).toBe('SIGHUP');
      const race = report.results.find((x) => x.name === 'race-reopen[uprobe]');
      expect(race?.cutShort).toBe('SIGHUP');
      expect(race?.stats?.cycles).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
