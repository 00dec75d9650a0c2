// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { judgeTrial, renderSensitivity, type Trial } from '../../../src/bench/sensitivity.js';
import type { RunReport, ScenarioResult } from '../../../src/report/types.js';

const OOPS = 'BUG: kernel NULL pointer dereference, address: 0000000000000050\nRIP: 0010:eventfs_iterate+0x29c/0x340';

function result(
  scenario: string,
  status: ScenarioResult['status'],
  durationMs: number,
  kernelLines: string[] = [],
  cyclesPerSec = 500,
): ScenarioResult {
  return {
    name: `${scenario}[uprobe]`,
    scenario,
    kind: 'uprobe',
    title: scenario,
    status,
    evidence:
      status === 'FAIL'
        ? [
            {
              op: 'kernel health',
              path: '/dev/kmsg',
              expected: 'no oops',
              got: 'oops_count 0->1',
              detail: kernelLines.join('\n'),
            },
          ]
        : [],
    checks: 1,
    durationMs,
    references: [],
    race: { overlap: true, overlapWhy: 'host', cpus: 2, threads: 2, cycles: 1, cyclesPerSec, ops: 1, opsPerSec: 1 },
  };
}

const report = (results: ScenarioResult[]): RunReport => ({
  tool: { name: 't', version: '0' },
  startedAt: '',
  durationMs: 0,
  env: { kernel: { release: '6.18.15', version: '', machine: 'x86_64' }, tracefs: '/t', features: [], hostname: 'h' },
  results,
});

const RACES = new Set(['race-reopen', 'race-getdents']);

describe('sensitivity trials', () => {
  it('counts a race failure carrying the signature, timed from the first race', () => {
    const r = report([
      result('removed-files-enoent', 'PASS', 5000),
      result('race-reopen', 'PASS', 3000, [], 400),
      result('race-getdents', 'FAIL', 1500, [OOPS], 600),
    ]);
    expect(judgeTrial(r, RACES, 'eventfs_iterate')).toEqual({
      caught: true,
      secondsToFailure: 4.5,
      cyclesPerSec: 500,
      quote: 'race-getdents[uprobe]: oops_count 0->1',
    });
  });

  it('counts a failure an --expect entry foresaw (XFAIL) as caught too', () => {
    const r = report([{ ...result('race-getdents', 'FAIL', 1500, [OOPS]), status: 'XFAIL' }]);
    expect(judgeTrial(r, RACES, 'eventfs_iterate')).toMatchObject({ caught: true, secondsToFailure: 1.5 });
  });

  it('does not count a failure of another bug, a single-threaded failure, or a boot without a report', () => {
    const other = report([result('race-getdents', 'FAIL', 1000, ['WARNING: CPU: 0 PID: 1 at kernel/foo.c'])]);
    expect(judgeTrial(other, RACES, 'eventfs_iterate').caught).toBe(false);
    const single = report([result('removed-files-enoent', 'FAIL', 1000, [OOPS])]);
    expect(judgeTrial(single, RACES, 'eventfs_iterate').caught).toBe(false);
    expect(judgeTrial(undefined, RACES)).toEqual({ caught: false });
  });

  it('counts the host console result when the guest died mid-race', () => {
    const console: ScenarioResult = {
      ...result('vm-console', 'FAIL', 0),
      evidence: [
        {
          op: 'console',
          path: 'serial',
          expected: 'no kernel failure report',
          got: 'RIP: 0010:eventfs_iterate+0x29c/0x340',
        },
      ],
    };
    const r = report([result('race-reopen', 'PASS', 3000), console]);
    expect(judgeTrial(r, RACES, 'eventfs_iterate')).toMatchObject({
      caught: true,
      secondsToFailure: 3,
      quote: 'vm-console[uprobe]: RIP: 0010:eventfs_iterate+0x29c/0x340',
    });
  });

  it('renders caught fractions and medians per kernel, mode and vCPUs', () => {
    const t = (caught: boolean, s?: number, cpus = 2): Trial => ({
      kernel: 'debian:6.18',
      mode: 'multi',
      cpus,
      exitCode: caught ? 1 : 0,
      caught,
      secondsToFailure: s,
      cyclesPerSec: 100,
    });
    const md = renderSensitivity([t(true, 2), t(false), t(true, 4), t(true, 1, 4)]);
    expect(md.split('\n')).toEqual([
      '| kernel | TCG | vCPUs | caught | median s of racing to first failure | median cycles/s |',
      '|---|---|---|---|---|---|',
      '| debian:6.18 | multi | 2 | 2/3 | 3.0 | 100 |',
      '| debian:6.18 | multi | 4 | 1/1 | 1.0 | 100 |',
    ]);
  });
});
