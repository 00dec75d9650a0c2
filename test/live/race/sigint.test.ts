// SPDX-License-Identifier: GPL-2.0-only
// SIGINT during a race: the workers stop (the issue asks within a second; the
// time is printed, not asserted, since a loaded CI box can stretch it), the
// promise resolves with partial statistics, and no tfsr_ entry is left.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leftovers, liveSkipReason, ROOT } from '../live-env.js';

const live = describe.skipIf(!!liveSkipReason);

live('race engine and SIGINT', () => {
  it('stops the workers and leaves the probe removed', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'test/live/race/fixtures/sigint-child.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    const started = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: string) => {
        out += d;
        if (out.includes('started\n')) resolve();
      });
    });
    await started;
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const res = JSON.parse(out.trim().split('\n').at(-1)!) as {
      stopReason: string;
      cycles: number;
      violations: number;
      stopMs: number;
      group: string;
    };
    process.stdout.write(`SIGINT to stopped race: ${res.stopMs.toFixed(1)} ms, ${res.cycles} cycles\n`);
    expect(res.stopReason).toBe('stopped');
    expect(res.violations).toBe(0);
    expect(res.cycles).toBeGreaterThan(0);
    expect(leftovers().filter((l) => l.includes(res.group))).toEqual([]);
  });
});
