// SPDX-License-Identifier: GPL-2.0-only
// The test hooks that crash a guest's kernel never act on a host, whatever
// the environment says (issue 19, item 8). strace watches every open of
// /proc/sysrq-trigger and fails it (EPERM injected), so even a regression
// cannot crash the host that runs this test. Nor does the environment plant a
// violation any more (issue 21): the inverted check is an option a test
// passes in (fixtures/run-hooked.mjs), so the old variable changes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, leftovers, liveSkipReason } from './live-env.js';

const SYSRQ = '/proc/sysrq-trigger';
const OPENS = 'open,openat,openat2,creat';

function straceMissing(): string | undefined {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'strace is not installed (apt-get install strace)';
  }
}
const why = liveSkipReason ?? straceMissing();
if (why && !liveSkipReason) {
  if (process.env.TRACEFS_REGRESS_REQUIRE_LIVE === '1')
    throw new Error(`test/live/test-hooks needs strace (TRACEFS_REGRESS_REQUIRE_LIVE=1): ${why}`);
  process.stderr.write(`SKIP test/live/test-hooks: ${why}\n`);
}

describe.skipIf(!!why)('test hooks on a host', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-hooks-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('TRACEFS_REGRESS_GUEST=1 TRACEFS_REGRESS_TEST_PANIC_AFTER=1 (and a forged token) never open /proc/sysrq-trigger; TFSR_TEST_INVERT_CHECK inverts nothing', async () => {
    for (const extra of [{}, { TRACEFS_REGRESS_GUEST_TOKEN: '0123456789abcdef0123456789abcdef' }]) {
      const log = path.join(dir, 'strace.log');
      const r = await execa(
        'strace',
        [
          ...['-f', '-qq', '-o', log, '-P', SYSRQ, '-e', `trace=${OPENS}`, '-e', `inject=${OPENS}:error=EPERM`],
          ...[process.execPath, CLI, 'run', '-s', 'removed-files-enoent', '-p', 'uprobe', '--format', 'json'],
        ],
        {
          reject: false,
          env: {
            TRACEFS_REGRESS_GUEST: '1',
            TRACEFS_REGRESS_TEST_PANIC_AFTER: '1',
            // Once read from the environment by production code: it made this run FAIL.
            TFSR_TEST_INVERT_CHECK: '#1',
            ...extra,
          },
        },
      );
      expect(fs.readFileSync(log, 'utf8'), 'opens of /proc/sysrq-trigger').toBe('');
      expect(r.exitCode, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { results: { name: string; status: string }[] };
      expect(report.results.map((x) => `${x.name}: ${x.status}`)).toEqual(['removed-files-enoent[uprobe]: PASS']);
    }
    expect(leftovers()).toEqual([]);
  });
});
