// SPDX-License-Identifier: GPL-2.0-only
// matrixVerdicts: planted boots grouped into kernel x scenario cells; k/N,
// the median seconds to the first failure, the worst-status order, missing
// boots and a boot that never reported, the known-bug label.
import { describe, expect, it } from 'vitest';
import {
  caughtStatus,
  cellAt,
  cellLabel,
  matrixVerdicts,
  median,
  secondsToFailure,
  STATUS_ORDER,
  worstStatus,
  type CellStatus,
} from '../../../src/report/verdicts.js';
import type { RunReport, ScenarioResult } from '../../../src/report/types.js';
import type { RaceStats } from '../../../src/race/types.js';
import { hostCheck } from '../../../src/vm/matrix/matrix.js';
import { raceStats, report, result, xfail } from './fixtures.js';

const PLAN = '0123456789ab';

/** A boot of `kernel` (boot b of n) with these results. */
export function boot(kernel: string, b: number, n: number, results: ScenarioResult[], index = 0): RunReport {
  return report(results, {
    env: {
      ...report([]).env,
      kernel: { release: kernel, version: '', machine: 'x86_64' },
      accelerator: 'tcg thread=multi',
    },
    matrix: { index, cells: 4, kernel, boot: b, boots: n, plan: PLAN },
  });
}

/** A worker an oops killed in a getdents started `atS` seconds in, found dead at the end. */
const violation = (thread: number, atS: number, endS: number) =>
  ({ thread, rule: 'worker-killed', startUs: atS * 1e6, endUs: endS * 1e6 }) as RaceStats['violations'][number];

/** A race result that failed (or not) with its first violation `atS` seconds into a race of `elapsedS`. */
export function raced(status: ScenarioResult['status'], atS?: number, elapsedS = 3): ScenarioResult {
  const stats = { ...raceStats(), elapsedMs: elapsedS * 1000 };
  if (atS !== undefined) stats.violations = [violation(1, atS + 0.5, elapsedS), violation(2, atS, elapsedS)];
  return result({ name: 'race-getdents[uprobe]', status, stats, durationMs: elapsedS * 1000 + 400 });
}

const consoleFail = (lines: string[]) => ({
  ...hostCheck('vm-console', 'XFAIL', 'the guest kernel reported a failure on the console', lines),
});

describe('matrixVerdicts', () => {
  it('counts the boots that caught a failure (k/N) and the median seconds of racing to it', () => {
    const v = matrixVerdicts([
      boot('6.18.15', 1, 3, [raced('XFAIL', 2)], 0),
      boot('6.18.15', 2, 3, [raced('PASS')], 1),
      boot('6.18.15', 3, 3, [raced('FAIL', 0.5)], 2),
    ]);
    const c = cellAt(v, 0, 0);
    expect([c.caught, c.boots, c.ran, c.status]).toEqual([2, 3, 3, 'FAIL']);
    // the earliest violation of each caught boot: 2 s and 0.5 s; median of the two
    expect(c.perBoot.map((b) => b.seconds)).toEqual([2, undefined, 0.5]);
    expect(c.medianSeconds).toBe(1.25);
    expect(c.perBoot.map((b) => b.run)).toEqual([0, 1, 2]);
  });

  it('groups by the cell kernel, boots in order whatever order the reports come in (merged shards)', () => {
    const v = matrixVerdicts([
      boot('b', 2, 2, [raced('PASS')], 3),
      boot('a', 1, 2, [raced('PASS')], 0),
      boot('b', 1, 2, [raced('FAIL', 1)], 2),
      boot('a', 2, 2, [raced('PASS')], 1),
    ]);
    expect(v.kernels.map((k) => k.kernel)).toEqual(['a', 'b']);
    expect(cellAt(v, 1, 0).perBoot.map((b) => [b.boot, b.status, b.run])).toEqual([
      [1, 'FAIL', 2],
      [2, 'PASS', 0],
    ]);
    expect(cellAt(v, 0, 0).caught).toBe(0);
  });

  it('without a matrix cell (an old report, a plain run): the release names the kernel, one boot per report', () => {
    const v = matrixVerdicts([report([raced('PASS')]), report([raced('XFAIL', 1)])]);
    expect(v.kernels).toEqual([{ kernel: '6.18.44-fc-v782', boots: 2, reported: 2, accelerators: [] }]);
    expect(cellAt(v, 0, 0).caught).toBe(1);
  });

  it('a boot missing from the reports (a shard not merged) is MISSING and leaves a clean verdict incomplete', () => {
    const v = matrixVerdicts([boot('k', 1, 3, [raced('PASS')], 0), boot('k', 3, 3, [raced('PASS')], 2)]);
    const c = cellAt(v, 0, 0);
    expect(v.kernels[0]).toMatchObject({ boots: 3, reported: 2 });
    expect(c.perBoot.map((b) => b.status)).toEqual(['PASS', 'MISSING', 'PASS']);
    expect([c.status, c.ran, c.caught]).toEqual(['MISSING', 2, 0]);
    // a failure in a boot that did report stands
    const f = matrixVerdicts([boot('k', 1, 2, [raced('XFAIL', 1)])]);
    expect(cellAt(f, 0, 0).status).toBe('XFAIL');
  });

  it('a boot that never reported: vm-boot UNRESOLVED, its scenarios MISSING; the clean boots count vm-* as PASS', () => {
    const never = hostCheck('vm-boot', 'UNRESOLVED', 'the guest wrote no report', ['console log: /x/serial.log']);
    const v = matrixVerdicts([boot('k', 1, 2, [raced('PASS')], 0), boot('k', 2, 2, [never], 1)]);
    expect(v.scenarios).toEqual(['race-getdents[uprobe]', 'vm-boot']);
    const race = cellAt(v, 0, 0);
    const vmBoot = cellAt(v, 0, 1);
    expect(race.perBoot.map((b) => b.status)).toEqual(['PASS', 'MISSING']);
    expect(race.status).toBe('MISSING');
    expect(vmBoot.perBoot.map((b) => b.status)).toEqual(['PASS', 'UNRESOLVED']);
    expect(vmBoot.status).toBe('UNRESOLVED');
    expect(vmBoot.perBoot[1]!.evidence[0]).toContain('console log: /x/serial.log');
  });

  it('each boot carries its console lines (vm-console evidence) and the cell the known bug and its fix', () => {
    const caught = {
      ...raced('XFAIL', 2),
      expectation: { ...xfail.expectation!, crasher: 'CVE-2026-74605', fix: 'f0ece16ffca7' },
    };
    const v = matrixVerdicts([
      boot('6.18.15', 1, 2, [raced('PASS')], 0),
      boot('6.18.15', 2, 2, [caught, consoleFail(['RIP: 0010:eventfs_iterate+0x29c/0x340'])], 1),
    ]);
    const c = cellAt(v, 0, 0);
    expect(c.perBoot[1]!.console).toEqual(['RIP: 0010:eventfs_iterate+0x29c/0x340']);
    expect(c.perBoot[0]!.console).toEqual([]);
    expect(c.label).toMatchObject({ id: 'CVE-2026-74605', fix: 'f0ece16ffca7' });
    expect(v.scenarios).toEqual(['race-getdents[uprobe]', 'vm-console']);
    expect(cellAt(v, 0, 1).perBoot.map((b) => b.status)).toEqual(['PASS', 'XFAIL']);
    expect(cellAt(v, 0, 1).medianSeconds).toBeUndefined();
  });
});

describe('the worst status over the boots', () => {
  it('FAIL > XPASS > TIMEOUT > UNRESOLVED > XFAIL > MISSING > PASS > UNSUPPORTED', () => {
    expect(STATUS_ORDER).toEqual(['FAIL', 'XPASS', 'TIMEOUT', 'UNRESOLVED', 'XFAIL', 'MISSING', 'PASS', 'UNSUPPORTED']);
    for (let i = 0; i < STATUS_ORDER.length; i++)
      for (let j = i; j < STATUS_ORDER.length; j++) {
        const [a, b] = [STATUS_ORDER[i]!, STATUS_ORDER[j]!];
        expect(worstStatus([b, a]), `${a} vs ${b}`).toBe(a);
        expect(worstStatus([a, b]), `${a} vs ${b}`).toBe(a);
      }
    expect(worstStatus(['PASS', 'XFAIL', 'PASS'])).toBe('XFAIL');
    expect(worstStatus(['XFAIL', 'FAIL'])).toBe('FAIL');
    expect(worstStatus([])).toBe('MISSING');
  });
  it('caught: FAIL and XFAIL only', () => {
    expect(STATUS_ORDER.filter((s: CellStatus) => caughtStatus(s))).toEqual(['FAIL', 'XFAIL']);
  });
});

describe('seconds to the first failure, median, label', () => {
  it('the earliest violation; else the race elapsed; else the duration; none for the host checks', () => {
    expect(secondsToFailure(raced('FAIL', 1.5))).toBe(1.5);
    expect(secondsToFailure(raced('FAIL', undefined, 4))).toBe(4);
    expect(secondsToFailure(result({ name: 'x[uprobe]', status: 'FAIL', durationMs: 250 }))).toBe(0.25);
    expect(secondsToFailure(consoleFail(['Oops']))).toBeUndefined();
  });
  it('median of odd and even counts', () => {
    expect(median([])).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('a label from the expectation that judged the result as its bug, none from a flaky pass or a mismatch', () => {
    const n = { ...xfail.expectation!, crasher: 'CVE-1', fix: 'abc' };
    expect(cellLabel(result({ name: 'x', status: 'XFAIL', expectation: n }))).toMatchObject({
      id: 'CVE-1',
      fix: 'abc',
    });
    expect(
      cellLabel(result({ name: 'x', status: 'PASS', expectation: { ...n, verdict: 'flaky-pass' } })),
    ).toBeUndefined();
    expect(
      cellLabel(result({ name: 'x', status: 'FAIL', expectation: { ...n, verdict: 'mismatch' } })),
    ).toBeUndefined();
    expect(cellLabel(result({ name: 'x', status: 'XFAIL', expectation: { ...xfail.expectation! } }))!.id).toMatch(
      /entry \d+$/,
    );
    expect(cellLabel(result({ name: 'x', status: 'PASS' }))).toBeUndefined();
  });
});
