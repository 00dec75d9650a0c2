// SPDX-License-Identifier: GPL-2.0-only
// `vm --coverage` on the kernel `kernel build --coverage` made: one short run
// (two scenarios), then the tracefile and the HTML report. Without one (or
// without lcov) this skips and says why; under TRACEFS_REGRESS_REQUIRE_LIVE=1
// a missing coverage kernel fails unless TRACEFS_REGRESS_NO_COVERAGE_KERNEL=1
// says so on purpose (.ci/run: the cold build alone is ~16 minutes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { missingLcov } from '../../src/coverage/lcov.js';
import { parseTracefile, summarise } from '../../src/coverage/tracefile.js';
import { buildPaths } from '../../src/kernel/tree.js';
import { buildDist, REQUIRED, ROOT, unavailable } from './helpers.js';

const KERNEL = process.env.TRACEFS_REGRESS_COVERAGE_KERNEL || buildPaths('tiny-coverage').bzImage;
const why =
  unavailable() ??
  (fs.existsSync(KERNEL) ? undefined : `no coverage kernel at ${KERNEL} (tracefs-regress kernel build --coverage)`) ??
  (missingLcov().length ? `needs ${missingLcov().join(', ')} (apt-get install lcov)` : undefined);
const excused = process.env.TRACEFS_REGRESS_NO_COVERAGE_KERNEL === '1' && !fs.existsSync(KERNEL);
const skip = why !== undefined && (!REQUIRED || excused);
if (skip) console.warn(`SKIP vm --coverage: ${why}${REQUIRED ? ' (TRACEFS_REGRESS_NO_COVERAGE_KERNEL=1)' : ''}`);

describe.skipIf(skip)('vm --coverage on a coverage kernel', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vm-coverage-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes coverage.info with the tracefs files reached, html/, and a summary', async () => {
    if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
    await buildDist();
    const out = path.join(dir, 'cov');
    const r = await execa(
      process.execPath,
      [
        path.join(ROOT, 'bin/tracefs-regress.js'),
        'vm',
        '--kernel',
        KERNEL,
        '--coverage',
        out,
        '--',
        '-s',
        'removed-files-enoent',
        '-p',
        'uprobe',
      ],
      { cwd: ROOT, reject: false, stdin: 'ignore' },
    );
    expect({ code: r.exitCode, err: r.stderr.slice(-3000) }).toMatchObject({ code: 0 });
    expect(r.stderr).toMatch(/^fs\/tracefs\/event_inode\.c\s+\d+\/\d+/m);
    const t = parseTracefile(fs.readFileSync(path.join(out, 'coverage.info'), 'utf8'));
    const ei = summarise(t, 'fs/tracefs/event_inode.c');
    expect(ei.present).toBe(true);
    expect(ei.lines.hit).toBeGreaterThan(0);
    expect(summarise(t, 'kernel/trace/trace_uprobe.c').functions.hit).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(out, 'html', 'index.html'))).toBe(true);
  }, 1_200_000);
});
