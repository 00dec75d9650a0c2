// SPDX-License-Identifier: GPL-2.0-only
// A variant the watchdog interrupted (status TIMEOUT) in every format: KTAP
// a bare `not ok N name` after `# TIMEOUT 60 seconds` (kselftest's runner's words, as a diagnostic), a JUnit
// <error type="TIMEOUT">, JSON's status, timeout block and summary count,
// pretty's line and totals, and exit 1. Each check is also run on a planted
// result that lacks what it looks for, to show the check can fail.
import { describe, expect, it } from 'vitest';
import { renderKtap } from '../../../src/report/ktap.js';
import { renderJunit } from '../../../src/report/junit.js';
import { renderJson } from '../../../src/report/json.js';
import { liveLine, renderPretty } from '../../../src/report/pretty.js';
import { exitCodeFor } from '../../../src/report/exit-code.js';
import { isFailing, summarize, type ScenarioResult } from '../../../src/report/types.js';
import { pass, report, result, skip } from './fixtures.js';
import { all, parseStrict } from './strict-xml.js';

const timedOut = result({
  name: 'planted-blocking-read[uprobe]',
  status: 'TIMEOUT',
  reason: 'timed out after 60 s: a system call blocked (or the scenario did not return); interrupted by 3 signals',
  checks: 1,
  durationMs: 60_120,
  evidence: [
    { op: 'read', path: '/sys/kernel/tracing/instances/tfsr_1_x_i1/trace_pipe', expected: 'data', got: 'EINTR' },
  ],
  timeout: { limitMs: 60_000, signals: 3, overrunMs: 120.4 },
});

/** The same variant as if the runner had not marked it: what every check below must tell apart. */
const planted: ScenarioResult = { ...timedOut, status: 'UNRESOLVED', timeout: undefined };

function ktapLineOf(r: ScenarioResult): string {
  return renderKtap(report([pass, r]))
    .split('\n')
    .find((l) => / 2 planted-blocking-read/.test(l))!;
}

describe('TIMEOUT in the reports', () => {
  it('KTAP: a bare not ok after `# TIMEOUT <limit> seconds` and the reason as diagnostics', () => {
    expect(ktapLineOf(timedOut)).toBe('not ok 2 planted-blocking-read[uprobe]');
    const doc = renderKtap(report([pass, timedOut]));
    expect(doc).toMatch(/^# TIMEOUT 60 seconds\n(# .*\n)*not ok 2 planted-blocking-read\[uprobe\]\n/m);
    expect(renderKtap(report([pass, planted]))).not.toMatch(/^# TIMEOUT \d/m);
    expect(doc).toMatch(/^# TIMEOUT: timed out after 60 s/m);
    expect(doc).toMatch(/^# evidence: op=read .*got=EINTR$/m);
    expect(doc).toMatch(/^# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:1$/m);
    // sub-second limits keep their fraction
    expect(renderKtap(report([pass, { ...timedOut, timeout: { ...timedOut.timeout!, limitMs: 2500 } }]))).toMatch(
      /^# TIMEOUT 2\.5 seconds$/m,
    );
  });

  it('JUnit: an <error type="TIMEOUT"> counted in errors, with the limit and signals as properties', () => {
    const doc = parseStrict(renderJunit(report([pass, timedOut])));
    const suite = all(doc, 'testsuite')[0]!;
    expect(suite.attrs.errors).toBe('1');
    expect(suite.attrs.failures).toBe('0');
    const errors = all(doc, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.attrs.type).toBe('TIMEOUT');
    expect(errors[0]!.attrs.message).toMatch(/^timed out after 60 s/);
    const props = Object.fromEntries(all(doc, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props['timeout.limitMs']).toBe('60000');
    expect(props['timeout.signals']).toBe('3');
    const other = all(parseStrict(renderJunit(report([pass, planted]))), 'error');
    expect(other[0]!.attrs.type).not.toBe('TIMEOUT');
  });

  it('JSON: status, the timeout block and the summary count', () => {
    const j = JSON.parse(renderJson(report([pass, timedOut, skip])));
    expect(j.results[1].status).toBe('TIMEOUT');
    expect(j.results[1].timeout).toEqual({ limitMs: 60_000, signals: 3, overrunMs: 120 });
    expect(j.summary).toMatchObject({ pass: 1, timeout: 1, unresolved: 0, skip: 1, exitCode: 1 });
    const p = JSON.parse(renderJson(report([pass, planted])));
    expect(p.results[1].timeout).toBeUndefined();
    expect(p.summary.timeout).toBe(0);
  });

  it('pretty: a TIMEOUT line with the reason, and "timed out" in the totals', () => {
    const line = liveLine(timedOut);
    expect(line.split('\n')[0]).toMatch(/^TIMEOUT planted-blocking-read\[uprobe\]  1 check  60120 ms$/);
    expect(line).toMatch(/\n {6}timeout: timed out after 60 s/);
    expect(line).toMatch(/read \S+trace_pipe: expected data, got EINTR/);
    expect(
      renderPretty(report([pass, timedOut]))
        .trimEnd()
        .split('\n')
        .at(-1),
    ).toBe('1 passed, 0 failed, 0 skipped, 1 timed out');
    expect(liveLine(planted)).not.toMatch(/TIMEOUT|timeout:/);
  });

  it('fails the run: exit 1, counted apart from FAIL and UNRESOLVED', () => {
    expect(isFailing('TIMEOUT')).toBe(true);
    expect(exitCodeFor(report([pass, timedOut]))).toBe(1);
    expect(exitCodeFor(report([pass]))).toBe(0);
    const s = summarize([pass, timedOut]);
    expect([s.fail, s.unresolved, s.timeout]).toEqual([0, 0, 1]);
  });
});
