// SPDX-License-Identifier: GPL-2.0-only
// XFAIL and XPASS in every reporter, the totals and the exit code.
import { describe, expect, it } from 'vitest';
import { renderKtap } from '../../../src/report/ktap.js';
import { renderJunit } from '../../../src/report/junit.js';
import { toJson } from '../../../src/report/json.js';
import { liveLine, renderPretty } from '../../../src/report/pretty.js';
import { exitCodeFor } from '../../../src/report/exit-code.js';
import { summarize } from '../../../src/report/types.js';
import { pass, skip, fail, xfail, xpass, report } from './fixtures.js';

describe('XFAIL and XPASS', () => {
  it('count apart from pass and fail', () => {
    expect(summarize([pass, xfail, xpass, fail, skip])).toEqual({
      pass: 1,
      fail: 1,
      xfail: 1,
      xpass: 1,
      unresolved: 0,
      notRun: 0,
      timeout: 0,
      skip: 1,
      total: 5,
    });
  });

  it('exit 0 for XFAIL (something ran, as expected), 1 for XPASS', () => {
    expect(exitCodeFor(report([xfail]))).toBe(0);
    expect(exitCodeFor(report([xfail, skip, pass]))).toBe(0);
    expect(exitCodeFor(report([xpass]))).toBe(1);
    expect(exitCodeFor(report([pass, xpass]))).toBe(1);
  });

  it('KTAP: bare ok # XFAIL after the entry, the matched line and the evidence; not ok # XPASS; real totals', () => {
    const t = renderKtap(report([xfail, xpass]));
    const lines = t.split('\n');
    const ok = lines.indexOf('ok 1 fd-across-removal[kprobe] # XFAIL');
    expect(ok).toBeGreaterThan(0);
    const diags = lines.slice(3, ok);
    expect(diags).toContain(
      '# expect: expected failure (kernel/known-bugs.json entry 4): Debian 6.1: a trigger written through an fd held across removal reaches the unregistered probe [README, What it found]',
    );
    expect(diags).toContain(
      '# expect: signature "WARNING:" and "enable_trace_kprobe" found: WARNING: CPU: 1 PID: 230 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x1f/0x110',
    );
    expect(diags.some((l) => l.startsWith('# evidence: op=pread'))).toBe(true);
    expect(t).toContain('not ok 2 fd-across-removal[kprobe] # XPASS\n');
    expect(t).toContain('# expect: but it passed: if this kernel is fixed, drop or narrow the entry');
    expect(t).toContain('# Totals: pass:0 fail:0 xfail:1 xpass:1 skip:0 error:0');
  });

  it('JUnit: XFAIL passes with a property and its evidence in system-out; XPASS is a failure', () => {
    const x = renderJunit(report([xfail, xpass]));
    const cases = x.split('<testcase').slice(1);
    expect(cases[0]).not.toContain('<failure');
    expect(cases[0]).toContain('<property name="expectation" value="xfail"/>');
    expect(cases[0]).toContain('<property name="expectation.entry" value="kernel/known-bugs.json entry 4"/>');
    expect(cases[0]).toMatch(
      /<system-out>[^]*XFAIL: expected failure[^]*pread \(fd held across removal\)[^]*<\/system-out>/,
    );
    expect(cases[1]).toContain(
      '<failure message="XPASS: expected to fail (kernel/known-bugs.json entry 4) but passed" type="XPASS"',
    );
    expect(x).toContain('failures="1"');
  });

  it('JSON: counts, the exit code and the expectation as data', () => {
    const j = toJson(report([xfail, xpass])) as {
      summary: Record<string, number>;
      results: Array<Record<string, unknown>>;
    };
    expect(j.summary).toEqual({
      pass: 0,
      fail: 0,
      xfail: 1,
      xpass: 1,
      unresolved: 0,
      notRun: 0,
      timeout: 0,
      skip: 0,
      total: 2,
      exitCode: 1,
    });
    expect(j.results[0]!.status).toBe('XFAIL');
    expect(j.results[0]!.expectation).toMatchObject({
      verdict: 'xfail',
      entry: 4,
      signature: ['WARNING:', 'enable_trace_kprobe'],
    });
    // the VM console's oops, explained by another result's expected failure, says by which
    const console = {
      ...xfail,
      name: 'vm-console',
      expectation: { ...xfail.expectation!, via: 'fd-across-removal[kprobe]' },
    };
    const c = toJson(report([console])) as { results: Array<{ expectation: { via?: string } }> };
    expect(c.results[0]!.expectation.via).toBe('fd-across-removal[kprobe]');
  });

  it('pretty: XFAIL names the entry and matched line, not the whole evidence; XPASS says what to do', () => {
    expect(liveLine(xfail)).toBe(
      [
        'XFAIL fd-across-removal[kprobe]  20 checks  35 ms',
        '      expected failure (kernel/known-bugs.json entry 4): Debian 6.1: a trigger written through an fd held across removal reaches the unregistered probe [README, What it found]',
        '      signature "WARNING:" and "enable_trace_kprobe" found: WARNING: CPU: 1 PID: 230 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x1f/0x110',
      ].join('\n'),
    );
    expect(liveLine(xfail, { verbose: true })).toContain('pread (fd held across removal)');
    expect(liveLine(xpass)).toMatch(/^XPASS fd-across-removal\[kprobe\][^]*but it passed/);
    const t = renderPretty(report([xfail, xpass]), { liveShown: true });
    expect(t).toBe('not passed: fd-across-removal[kprobe]\n0 passed, 0 failed, 0 skipped, 1 xfailed, 1 xpassed\n');
  });

  it('a planted wrong status is caught: the checks above fail on a FAIL dressed as XFAIL', () => {
    const wrong = { ...xfail, status: 'FAIL' as const };
    expect(renderKtap(report([wrong]))).not.toContain('# XFAIL');
    expect(exitCodeFor(report([wrong]))).toBe(1);
  });
});
