// SPDX-License-Identifier: GPL-2.0-only
// The suite step's table: every kernel a row, race-only mutants' boots after it.
import { describe, expect, it } from 'vitest';
import { suiteTable } from '../../../../src/kernel/selftest/suite.js';
import type { RunReport } from '../../../../src/report/types.js';
import type { SelftestKernel } from '../../../../src/kernel/selftest/context.js';

const verdict = { ok: true, summary: '', problems: [], caught: {} };
const report = (status: 'PASS' | 'FAIL'): RunReport => ({
  tool: { name: 'tracefs-regress', version: '0' },
  startedAt: '',
  durationMs: 0,
  env: { kernel: { release: '6.12', version: '', machine: 'x86_64' }, tracefs: '/t', features: [], hostname: 'h' },
  results: [{ name: 'race-x[uprobe]', scenario: 'race-x', kind: 'uprobe', title: '', status, evidence: [], checks: 1, durationMs: 3000, references: [] }],
});

describe('suite table', () => {
  it('renders each kernel judged, with the race-only mutants\' lines when there are any', () => {
    const kernels: SelftestKernel[] = [
      { name: 'clean', patches: [], report: report('PASS'), verdict, suite: { exitCode: 0, wallMs: 63_000, vmLog: [] } },
      { name: 'r', patches: ['r.patch'], report: report('FAIL'), verdict, suite: { exitCode: 1, wallMs: 70_000, vmLog: [] }, raceLine: 'r: caught in 3/3 boots; by race-x' },
    ];
    const t = suiteTable(kernels, 3);
    expect(t.split('\n').slice(0, 4)).toEqual([
      '| kernel | race-x | verdict | suite wall |',
      '|---|---|---|---|',
      '| clean | PASS | ok | 63 s |',
      '| r | FAIL 3.0s | ok | 70 s |',
    ]);
    expect(t.endsWith('\n\nRace-only mutants, 3 boots each under the defaults:\n- r: caught in 3/3 boots; by race-x')).toBe(true);
    expect(suiteTable(kernels.slice(0, 1), 3)).not.toContain('Race-only');
  });
});
