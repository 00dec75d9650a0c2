// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { median } from '../../../../src/bench/stats.js';
import { compareFtrace, raceSecondsToFailure, raceSummary, scenarioCells, verdictFor } from '../../../../src/kernel/selftest/verdict.js';
import type { RunReport, ScenarioResult } from '../../../../src/report/types.js';

function result(scenario: string, kind: 'kprobe' | 'uprobe', status: ScenarioResult['status'], durationMs = 1000, got?: string): ScenarioResult {
  return {
    name: `${scenario}[${kind}]`,
    scenario,
    kind,
    title: scenario,
    status,
    evidence: got ? [{ op: 'stat', path: '/sys/kernel/tracing/events/g/e/enable', expected: 'ENOENT', got }] : [],
    checks: 3,
    durationMs,
    references: [],
  };
}

function report(results: ScenarioResult[]): RunReport {
  return {
    tool: { name: 'tracefs-regress', version: '0' },
    startedAt: '',
    durationMs: 0,
    env: { kernel: { release: '6.12', version: '', machine: 'x86_64' }, tracefs: '/sys/kernel/tracing', features: [], hostname: 'h' },
    results,
  };
}

const MUTANT = { name: 'm', undoes: ['x'], expect: ['removed-files-enoent'], description: 'd' };

describe('self-test verdicts', () => {
  it('accepts a clean kernel that passes everything, and names what it skipped', () => {
    const v = verdictFor(report([result('a', 'kprobe', 'PASS'), result('b', 'kprobe', 'UNSUPPORTED')]), undefined);
    expect(v.ok).toBe(true);
    expect(v.summary).toBe('1 passed, skipped b');
  });

  it('rejects a clean kernel with a failure, quoting it', () => {
    const v = verdictFor(report([result('a', 'uprobe', 'FAIL', 10, 'success')]), undefined);
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toContain('a[uprobe]: stat /sys/kernel/tracing/events/g/e/enable: expected ENOENT, got success');
  });

  it('accepts a mutant caught where its header says, and reports extra catches', () => {
    const r = report([result('held', 'kprobe', 'FAIL', 500, 'success'), result('removed-files-enoent', 'kprobe', 'PASS', 1500), result('removed-files-enoent', 'uprobe', 'FAIL', 2000, 'success')]);
    const v = verdictFor(r, MUTANT);
    expect(v.ok).toBe(true);
    expect(v.summary).toBe('caught in 1/1 expected scenarios; also failed held');
    const c = scenarioCells(r, MUTANT).get('removed-files-enoent')!;
    expect(c).toMatchObject({ status: 'FAIL', expected: true, atS: 4 });
  });

  it('rejects a mutant the suite missed, or a claim naming a scenario that never ran', () => {
    expect(verdictFor(report([result('removed-files-enoent', 'kprobe', 'PASS')]), MUTANT).problems).toEqual([
      'm: removed-files-enoent should fail but was PASS',
    ]);
    expect(verdictFor(report([result('other', 'kprobe', 'PASS')]), MUTANT).problems[0]).toMatch(/did not run/);
    expect(verdictFor(undefined, MUTANT).ok).toBe(false);
  });

  it('requires the violating op to be quoted', () => {
    expect(verdictFor(report([result('removed-files-enoent', 'kprobe', 'FAIL')]), MUTANT).problems[0]).toMatch(/without quoting/);
  });
});

describe('race-only mutants', () => {
  const RACE = { name: 'r', undoes: ['x'], expect: ['race-getdents'], description: 'd', race: true };
  const raceIds = new Set(['race-getdents', 'race-reopen']);

  it('accepts a race-only mutant caught by its race scenario while every single-threaded one passed', () => {
    const r = report([result('removed-files-enoent', 'uprobe', 'PASS', 1000), result('race-reopen', 'uprobe', 'PASS', 3000), result('race-getdents', 'uprobe', 'FAIL', 2000, 'success')]);
    expect(verdictFor(r, RACE, { raceIds })).toMatchObject({ ok: true, problems: [] });
    expect(raceSecondsToFailure(r, raceIds)).toBe(5);
  });

  it('counts a boot as a catch when any of the races its header names failed, and as a miss when none did', () => {
    const two = { ...RACE, expect: ['race-getdents', 'race-reopen'] };
    const one = report([result('race-reopen', 'uprobe', 'FAIL', 3000, 'success'), result('race-getdents', 'uprobe', 'PASS', 3000)]);
    expect(verdictFor(one, two, { raceIds })).toMatchObject({ ok: true, caught: { 'race-reopen': expect.any(String) } });
    const none = report([result('race-reopen', 'uprobe', 'PASS', 3000), result('race-getdents', 'uprobe', 'PASS', 3000)]);
    expect(verdictFor(none, two, { raceIds }).problems).toEqual(['r: none of its race scenarios caught it (race-getdents PASS, race-reopen PASS)']);
  });

  it('takes the host console result of a race\'s oops for the race, not for a single-threaded scenario', () => {
    const r = report([result('race-getdents', 'uprobe', 'FAIL', 2000, 'success'), { ...result('vm-console', 'kprobe', 'FAIL', 0, 'BUG: x'), name: 'vm-console' }]);
    expect(verdictFor(r, RACE, { raceIds })).toMatchObject({ ok: true, problems: [] });
  });

  it('rejects the race-only claim when a single-threaded scenario fails too', () => {
    const r = report([result('removed-files-enoent', 'uprobe', 'FAIL', 1000, 'success'), result('race-getdents', 'uprobe', 'FAIL', 2000, 'success')]);
    expect(verdictFor(r, RACE, { raceIds }).problems).toEqual([
      'r: race-only, yet single-threaded removed-files-enoent was FAIL: removed-files-enoent[uprobe]: stat /sys/kernel/tracing/events/g/e/enable: expected ENOENT, got success',
    ]);
  });

  it('rejects a race-only header that names a single-threaded scenario, or cannot be checked', () => {
    const r = report([result('removed-files-enoent', 'uprobe', 'FAIL', 1000, 'success')]);
    expect(verdictFor(r, { ...RACE, expect: ['removed-files-enoent'] }, { raceIds }).problems).toContain(
      'r: race-only, yet Expect names removed-files-enoent, which is not a race scenario',
    );
    expect(verdictFor(r, RACE).problems).toContain('r: a race-only mutant needs the race scenario ids to check its claim');
  });

  it('counts a mutant caught only when every boot caught it, with the median time to failure', () => {
    const all = raceSummary('r', [
      { ok: true, secondsToFailure: 4, caught: ['race-getdents'] },
      { ok: true, secondsToFailure: 1, caught: ['race-getdents'] },
      { ok: true, secondsToFailure: 2.5, caught: ['race-recreate'] },
    ]);
    expect(all).toMatchObject({
      ok: true,
      problems: [],
      tally: { name: 'r', boots: 3, hits: 3, secondsToFailure: [4, 1, 2.5], medianS: 2.5, by: ['race-getdents', 'race-recreate'] },
      line: 'r: caught in 3/3 boots; first failure after 2.5 s of racing (median; 4.0, 1.0, 2.5); by race-getdents, race-recreate',
    });
    const missed = raceSummary('r', [{ ok: true, secondsToFailure: 4, caught: ['race-getdents'] }, { ok: false, caught: [] }]);
    expect(missed.ok).toBe(false);
    expect(missed.problems).toEqual(['r: a race-only mutant missed in 1 of 2 boots under the defaults']);
    expect(raceSummary('r', []).ok).toBe(false);
    expect(raceSecondsToFailure(report([result('race-getdents', 'uprobe', 'PASS')]), raceIds)).toBeUndefined();
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

describe('ftracetest comparison', () => {
  const clean = { status: 'DONE', cases: [{ n: 1, name: 'a', status: 'PASS' as const }, { n: 2, name: 'b', status: 'FAIL' as const }] };
  it('catches when a test that passed on the clean kernel fails', () => {
    const run = { status: 'DONE', cases: [{ n: 1, name: 'a', status: 'FAIL' as const }, { n: 2, name: 'b', status: 'FAIL' as const }] };
    expect(compareFtrace(clean, run)).toEqual({ caught: true, summary: '0 pass, 2 fail, 0 unresolved of 2', newlyFailing: ['a [FAIL]'] });
  });
  it('misses when only already-failing tests fail', () => {
    expect(compareFtrace(clean, clean).caught).toBe(false);
  });
  it('counts a run that died before finishing as caught', () => {
    expect(compareFtrace(clean, { status: 'KERNEL_FAILURE', cases: [] }).caught).toBe(true);
  });
});
