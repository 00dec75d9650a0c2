// SPDX-License-Identifier: GPL-2.0-only
// Real reports of this kernel against schema/report.schema.json: a run with
// PASS (uprobe), SKIP (kprobe: this host has none; perm-remount-gid without
// --allow-remount) and a race's statistics; a --repeat run; and the matrix
// document made of two real runs (the shape `vm --matrix` writes).
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { renderJsonMatrix } from '../../src/report/json.js';
import type { RunReport } from '../../src/report/types.js';
import { reportSchemaErrors } from '../schema/report-schema.js';
import { CLI, liveSkipReason } from './live-env.js';

const live = describe.skipIf(!!liveSkipReason);

const runJson = async (...args: string[]) => {
  const r = await execa('node', [CLI, 'run', '--format', 'json', '--expect', 'kernel/known-bugs.json', ...args], {
    reject: false,
  });
  return { code: r.exitCode, doc: JSON.parse(r.stdout) as Record<string, any> };
};

live('JSON reports of this kernel against the schema', () => {
  const reports: Record<string, any>[] = [];

  it('a run with passes, skips and a race', async () => {
    const { code, doc } = await runJson(
      '-s',
      'removed-files-enoent',
      '-s',
      'race-reopen',
      '-s',
      'perm-remount-gid',
      '--duration',
      '1s',
    );
    expect(code).toBe(0);
    const words = new Set(doc.results.map((r: { kernelci: string }) => r.kernelci));
    expect([...words].sort()).toEqual(['pass', 'skip']);
    expect(doc.results.some((r: { stats?: object }) => r.stats)).toBe(true);
    expect(reportSchemaErrors(doc)).toEqual([]);
    reports.push(doc);
  });

  it('a repeated run', async () => {
    const { code, doc } = await runJson('-s', 'held-dirfd-enoent', '-p', 'uprobe', '--repeat', '2');
    expect(code).toBe(0);
    expect(doc.repeat.iterations).toHaveLength(2);
    expect(reportSchemaErrors(doc)).toEqual([]);
    reports.push(doc);
  });

  it('the matrix of both', () => {
    expect(reports).toHaveLength(2);
    const m = JSON.parse(renderJsonMatrix(reports as unknown as RunReport[]));
    expect(m.report).toBe('matrix');
    expect(reportSchemaErrors(m)).toEqual([]);
    // and a real run planted with a wrong status word is refused
    m.runs[0].results[0].status = 'OK';
    expect(reportSchemaErrors(m).join('\n')).toMatch(/^\/runs\/0\/results\/0\/status/m);
  });
});
