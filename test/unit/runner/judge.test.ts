// SPDX-License-Identifier: GPL-2.0-only
// The verdict of a variant (src/runner/judge.ts): each rule with planted
// facts, then the pairs of rules that fire together (which wins, which notes
// survive). Pure: nothing runs, nothing is loaded.
import { describe, expect, it } from 'vitest';
import { judgeVariant, RULES, type VariantFacts } from '../../../src/runner/judge.js';
import type { HealthDelta } from '../../../src/health/types.js';
import type { ScenarioOutcome } from '../../../src/scenarios/types.js';
import type { ExpectEntry } from '../../../src/expectations/types.js';

const HEALTHY: HealthDelta = { ok: true, kernelLines: [] };
const OOPS: HealthDelta = {
  ok: false,
  oopsCount: { before: 0, after: 1 },
  kernelLines: ['Oops: general protection fault in eventfs_iterate'],
};
const QUIET = { fired: false, signals: 0, overrunMs: 0 };
const FIRED = { fired: true, signals: 3, overrunMs: 120 };
const TIMED_OUT =
  'timed out after 2 s: a system call blocked (or the scenario did not return); interrupted by 3 signals, back 0.1 s after the limit';
const EINTR_NOTE = 'evidence after the limit may show EINTR: the watchdog interrupted those calls';

const PASS: ScenarioOutcome = { status: 'PASS', evidence: [], checks: 2 };
const NOTHING: ScenarioOutcome = { status: 'PASS', evidence: [], checks: 0 };
const FAIL: ScenarioOutcome = {
  status: 'FAIL',
  evidence: [{ op: 'stat', path: '/t/e/enable', expected: 'ENOENT', got: 'success' }],
  checks: 1,
};

function facts(over: Partial<VariantFacts> = {}): VariantFacts {
  return {
    base: { name: 's[uprobe]', scenario: 's', kind: 'uprobe', title: 's', references: [] },
    outcome: PASS,
    durationMs: 7,
    limitMs: 2000,
    watchdog: QUIET,
    leftovers: [],
    health: HEALTHY,
    kernel: { release: '6.18.0', version: '#1' },
    ...over,
  };
}

const entry = (action: ExpectEntry['action'], signature: string[]): ExpectEntry => ({
  scenario: 's',
  kind: '*',
  release: '6.18.*',
  signature,
  action,
  why: 'known',
  source: 'known.json',
  index: 0,
});

describe('the rules, in order', () => {
  it('are these, in this order (the order is the behaviour)', () => {
    expect(RULES.map((r) => r.name)).toEqual([
      'no-watchdog',
      'timeout',
      'could-not-remove',
      'checked-nothing',
      'unhealthy',
      'reproducer',
      'timeout-under-fail',
      'expect',
      'known-bug',
    ]);
  });

  it('none fires: the scenario outcome as it came, with its duration and health', () => {
    expect(judgeVariant(facts())).toEqual({
      name: 's[uprobe]',
      scenario: 's',
      kind: 'uprobe',
      title: 's',
      references: [],
      status: 'PASS',
      evidence: [],
      checks: 2,
      durationMs: 7,
      health: HEALTHY,
    });
  });

  it('abandoned: UNRESOLVED, saying how long it was waited for', () => {
    const r = judgeVariant(facts({ outcome: 'abandoned', watchdog: 'no scenario timeout: x' }));
    expect(r.status).toBe('UNRESOLVED');
    expect(r.reason).toBe('did not return within 12 s: abandoned');
  });

  it('no-watchdog: a note says why, the verdict stands', () => {
    const r = judgeVariant(facts({ watchdog: 'no scenario timeout: the watchdog could not be armed (old addon)' }));
    expect(r.status).toBe('PASS');
    expect(r.notes).toEqual(['no scenario timeout: the watchdog could not be armed (old addon)']);
  });

  it('timeout: the watchdog fired, TIMEOUT whatever the scenario said', () => {
    const r = judgeVariant(facts({ outcome: FAIL, watchdog: FIRED }));
    expect(r.status).toBe('TIMEOUT');
    expect(r.reason).toBe(TIMED_OUT);
    expect(r.timeout).toEqual({ limitMs: 2000, signals: 3, overrunMs: 120 });
    expect(r.notes).toEqual(["the scenario's own verdict was FAIL", EINTR_NOTE]);
    expect(judgeVariant(facts({ outcome: 'abandoned', watchdog: FIRED })).notes).toEqual([
      'it never came back: abandoned 10 s after the limit, still running',
    ]);
  });

  it('could-not-remove: a PASS becomes UNRESOLVED with the leftovers as its reason', () => {
    const r = judgeVariant(facts({ leftovers: ['instances/tfsr_1_ab', 'events/tfsr_1_ab/e1'] }));
    expect(r.status).toBe('UNRESOLVED');
    expect(r.reason).toBe('could not remove: instances/tfsr_1_ab; events/tfsr_1_ab/e1');
    expect(r.notes).toBeUndefined();
  });

  it('could-not-remove: a FAIL stays a FAIL, the leftovers a note', () => {
    const r = judgeVariant(facts({ outcome: FAIL, leftovers: ['instances/tfsr_1_ab'] }));
    expect(r.status).toBe('FAIL');
    expect(r.reason).toBeUndefined();
    expect(r.notes).toEqual(['could not remove: instances/tfsr_1_ab']);
  });

  it('checked-nothing: a PASS with 0 checks is UNRESOLVED', () => {
    const r = judgeVariant(facts({ outcome: NOTHING }));
    expect(r.status).toBe('UNRESOLVED');
    expect(r.reason).toBe('the scenario checked nothing');
    // Only a PASS: a FAIL with 0 checks is still the kernel's failure.
    expect(judgeVariant(facts({ outcome: { ...FAIL, checks: 0 } })).status).toBe('FAIL');
  });

  it('unhealthy: FAIL with the kernel-health evidence appended', () => {
    const r = judgeVariant(facts({ health: OOPS }));
    expect(r.status).toBe('FAIL');
    expect(r.evidence).toEqual([
      {
        op: 'kernel health',
        path: '/dev/kmsg',
        expected: 'no oops, warning, new taint or kernel report',
        got: 'oops_count 0->1, 1 kernel log lines',
        detail: 'Oops: general protection fault in eventfs_iterate',
      },
    ]);
    // Nothing countable changed (a kernel report the oracle flagged): "unhealthy".
    expect(judgeVariant(facts({ health: { ok: false, kernelLines: [] } })).evidence[0]!.got).toBe('unhealthy');
  });

  it("reproducer: a FAIL gets the reproducer's notes and file, and what the replays made the kernel say", () => {
    const written = { file: 's[uprobe].c', mode: 'sequence' as const, steps: { kept: 2, total: 9 } };
    const r = judgeVariant(
      facts({ outcome: FAIL, reproducer: { notes: ['reproducer: /d/s[uprobe].c'], written, replays: OOPS } }),
    );
    expect(r.reproducer).toEqual(written);
    expect(r.notes).toEqual([
      'reproducer: /d/s[uprobe].c',
      'while its reproducer was made: oops_count 0->1, 1 kernel log lines',
    ]);
    const none = judgeVariant(
      facts({ outcome: FAIL, reproducer: { notes: ['no reproducer: why'], replays: HEALTHY } }),
    );
    expect(none.reproducer).toBeUndefined();
    expect(none.notes).toEqual(['no reproducer: why']);
  });

  it('reproducer: the rules before it decide whether one is made (judgeVariant(facts, "reproducer"))', () => {
    expect(judgeVariant(facts({ health: OOPS }), 'reproducer').status).toBe('FAIL');
    expect(judgeVariant(facts({ outcome: FAIL, watchdog: FIRED }), 'reproducer').status).toBe('TIMEOUT');
    // Facts for a reproducer of a variant that is no FAIL are ignored.
    const r = judgeVariant(facts({ reproducer: { notes: ['reproducer: x'], replays: OOPS } }));
    expect(r).toEqual(judgeVariant(facts()));
  });

  it('expect: a FAIL with a covering entry and its signature is XFAIL', () => {
    const r = judgeVariant(facts({ outcome: FAIL, expect: [entry('xfail', ['ENOENT'])] }));
    expect(r.status).toBe('XFAIL');
    expect(r.expectation?.verdict).toBe('xfail');
  });

  it('known-bug: a FAIL that matches no known bug is NEW', () => {
    expect(judgeVariant(facts({ outcome: FAIL, knownBugs: [] })).new).toBe(true);
    expect(judgeVariant(facts({ outcome: FAIL })).new).toBeUndefined();
  });
});

describe('two rules at once: which wins, which notes survive', () => {
  it('timeout then could-not-remove: TIMEOUT stays, the leftovers a note after the timeout notes', () => {
    const r = judgeVariant(facts({ outcome: FAIL, watchdog: FIRED, leftovers: ['instances/tfsr_1_ab'] }));
    expect(r.status).toBe('TIMEOUT');
    expect(r.notes).toEqual([
      "the scenario's own verdict was FAIL",
      EINTR_NOTE,
      'could not remove: instances/tfsr_1_ab',
    ]);
  });

  it('timeout keeps checked-nothing from firing: a 0-check PASS that overran is TIMEOUT', () => {
    const r = judgeVariant(facts({ outcome: NOTHING, watchdog: FIRED }));
    expect(r.status).toBe('TIMEOUT');
    expect(r.reason).toBe(TIMED_OUT);
  });

  it('could-not-remove then checked-nothing: "checked nothing" replaces the reason and the leftovers are lost (kept as it was)', () => {
    const r = judgeVariant(facts({ outcome: NOTHING, leftovers: ['instances/tfsr_1_ab'] }));
    expect(r.status).toBe('UNRESOLVED');
    expect(r.reason).toBe('the scenario checked nothing');
    expect(r.notes).toBeUndefined();
  });

  it('checked-nothing then unhealthy: FAIL, still giving "the scenario checked nothing" as its reason', () => {
    const r = judgeVariant(facts({ outcome: NOTHING, health: OOPS }));
    expect(r.status).toBe('FAIL');
    expect(r.reason).toBe('the scenario checked nothing');
    expect(r.evidence.map((e) => e.op)).toEqual(['kernel health']);
  });

  it('could-not-remove then unhealthy: FAIL, the leftovers its reason', () => {
    const r = judgeVariant(facts({ leftovers: ['instances/tfsr_1_ab'], health: OOPS }));
    expect(r.status).toBe('FAIL');
    expect(r.reason).toBe('could not remove: instances/tfsr_1_ab');
  });

  it('timeout then unhealthy: FAIL, the timeout kept (reason, timeout, and the reason again as the last note)', () => {
    const r = judgeVariant(facts({ outcome: FAIL, watchdog: FIRED, health: OOPS }));
    expect(r.status).toBe('FAIL');
    expect(r.reason).toBe(TIMED_OUT);
    expect(r.timeout).toBeDefined();
    expect(r.notes).toEqual(["the scenario's own verdict was FAIL", EINTR_NOTE, TIMED_OUT]);
  });

  it('timeout, unhealthy and reproducer: the reproducer notes come before the timeout note', () => {
    const r = judgeVariant(
      facts({
        outcome: PASS,
        watchdog: FIRED,
        health: OOPS,
        reproducer: { notes: ['no reproducer: why'], replays: OOPS },
      }),
    );
    expect(r.status).toBe('FAIL');
    expect(r.notes).toEqual([
      'no reproducer: why',
      'while its reproducer was made: oops_count 0->1, 1 kernel log lines',
      TIMED_OUT,
    ]);
  });

  it('no-watchdog then abandoned: UNRESOLVED, no TIMEOUT (nothing fired)', () => {
    const r = judgeVariant(facts({ outcome: 'abandoned', watchdog: 'no scenario timeout: x' }));
    expect(r.status).toBe('UNRESOLVED');
    expect(r.timeout).toBeUndefined();
    expect(r.notes).toEqual(['no scenario timeout: x']);
  });

  it('unhealthy then expect: the health FAIL is XFAIL when an entry signs the kernel line', () => {
    const r = judgeVariant(facts({ health: OOPS, expect: [entry('xfail', ['general protection fault'])] }));
    expect(r.status).toBe('XFAIL');
    expect(r.expectation?.matched).toBe('Oops: general protection fault in eventfs_iterate');
  });

  it('expect leaves a TIMEOUT and an UNRESOLVED alone: an expected bug excuses no hang, no broken setup', () => {
    const ex = [entry('xfail', ['ENOENT'])];
    expect(judgeVariant(facts({ outcome: FAIL, watchdog: FIRED, expect: ex })).status).toBe('TIMEOUT');
    expect(judgeVariant(facts({ outcome: NOTHING, expect: ex })).status).toBe('UNRESOLVED');
  });

  it('expect then known-bug: an XFAIL is still named (NEW here: the catalogue is empty)', () => {
    const r = judgeVariant(facts({ outcome: FAIL, expect: [entry('xfail', ['ENOENT'])], knownBugs: [] }));
    expect(r.status).toBe('XFAIL');
    expect(r.new).toBe(true);
  });
});
