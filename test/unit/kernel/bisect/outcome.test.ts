// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { STEP, stepOutcome } from '../../../../src/kernel/bisect/outcome.js';
import type { RunReport, ScenarioResult } from '../../../../src/report/types.js';

function result(scenario: string, status: ScenarioResult['status'], o: { got?: string; reason?: string; kind?: ScenarioResult['kind'] } = {}): ScenarioResult {
  return {
    name: `${scenario}[${o.kind ?? 'kprobe'}]`,
    scenario,
    kind: o.kind ?? 'kprobe',
    title: scenario,
    status,
    ...(o.reason ? { reason: o.reason } : {}),
    evidence: o.got ? [{ op: 'open', path: 'events/g/e/enable', expected: 'ENOENT', got: o.got }] : [],
    checks: 1,
    durationMs: 10,
    references: [],
  };
}

function report(results: ScenarioResult[], interrupted?: string): RunReport {
  return {
    tool: { name: 'tracefs-regress', version: '0' },
    startedAt: '',
    durationMs: 0,
    env: { kernel: { release: '6.12', version: '', machine: 'x86_64' }, tracefs: '/sys/kernel/tracing', features: [], hostname: 'h' },
    results,
    ...(interrupted ? { interrupted } : {}),
  };
}

const pass = result('removed-files-enoent', 'PASS');
const oops = result('vm-console', 'FAIL', { kind: 'vm', got: 'BUG: kernel NULL pointer dereference' });
const noBoot = result('vm-boot', 'UNRESOLVED', { kind: 'vm', reason: 'TIMEOUT: no result after 600 s' });

// Each row: the boot, vm's exit code, the code git must see. Planted wrong inputs included: a FAIL hidden
// among passes, a pass with a non-zero vm exit, an empty selection, an oops before anything ran.
const TABLE: [string, RunReport | undefined, number | undefined, number][] = [
  ['all passed', report([pass, result('removed-dir-enoent', 'PASS')]), 0, STEP.good],
  ['an expected failure (XFAIL) counts as passing', report([result('a', 'XFAIL')]), 0, STEP.good],
  ['a FAIL among passes', report([pass, result('a', 'FAIL', { got: 'success' }), pass]), 1, STEP.bad],
  ['XPASS: an expected failure is gone', report([result('a', 'XPASS')]), 1, STEP.bad],
  ['a scenario hung (TIMEOUT)', report([result('a', 'TIMEOUT')]), 1, STEP.bad],
  ['an oops while scenarios ran', report([pass, oops]), 1, STEP.bad],
  ['a FAIL wins over a later guest timeout', report([result('a', 'FAIL', { got: 'x' }), noBoot]), 1, STEP.bad],
  ['a FAIL wins over a SKIP', report([result('a', 'UNSUPPORTED'), result('b', 'FAIL', { got: 'x' })]), 1, STEP.bad],
  ['no report at all', undefined, 1, STEP.skip],
  ['no report, vm killed by a signal', undefined, undefined, STEP.skip],
  ['the kernel did not boot', report([noBoot]), 1, STEP.skip],
  ['an oops before any scenario ran', report([oops]), 1, STEP.skip],
  ['a scenario UNRESOLVED', report([pass, result('a', 'UNRESOLVED', { reason: 'setup failed' })]), 1, STEP.skip],
  ['a scenario skipped (no kprobe_events)', report([result('a', 'UNSUPPORTED', { reason: 'no kprobe_events' })]), 4, STEP.skip],
  ['nothing selected', report([]), 4, STEP.skip],
  ['the run was interrupted', report([pass], 'SIGTERM'), 130, STEP.skip],
  ['all passed yet vm failed', report([pass]), 1, STEP.skip],
];

describe('bisect step exit codes', () => {
  it.each(TABLE)('%s', (_what, r, vmExit, code) => {
    const o = stepOutcome(r, vmExit);
    expect(o.code).toBe(code);
    expect(o.verdict).toBe(code === 0 ? 'good' : code === 1 ? 'bad' : 'skip');
    expect(o.why.length).toBeGreaterThan(0);
  });

  it('never answers 128 or more, whatever vm exits with', () => {
    for (const vmExit of [undefined, 0, 1, 2, 4, 125, 128, 130, 143, 255]) {
      for (const r of [undefined, report([]), report([pass]), report([noBoot])]) expect(stepOutcome(r, vmExit).code).toBeLessThan(128);
    }
  });

  it('quotes the failing op so the step line says why', () => {
    const o = stepOutcome(report([pass, result('removed-files-enoent', 'FAIL', { got: 'success' })]), 1);
    expect(o.why).toBe('removed-files-enoent[kprobe] FAIL: open events/g/e/enable: expected ENOENT, got success');
  });
});
