// SPDX-License-Identifier: GPL-2.0-only
// The matcher: a failure with the signature is XFAIL, without it a plain FAIL;
// a pass under xfail is XPASS, under flaky a PASS; skip entries; idempotence;
// the VM console's failure explained by an expected failure of the same run.
import { describe, expect, it } from 'vitest';
import {
  applyExpectations,
  applyToResult,
  covers,
  skipEntryFor,
  skippedResult,
} from '../../../src/expectations/apply.js';
import type { ExpectEntry } from '../../../src/expectations/types.js';
import type { RunReport, ScenarioResult } from '../../../src/report/types.js';
import { exitCodeFor } from '../../../src/report/exit-code.js';

const entry = (over: Partial<ExpectEntry>): ExpectEntry => ({
  scenario: 'race-getdents',
  kind: '*',
  release: '6.18.*',
  signature: ['eventfs_iterate'],
  action: 'xfail',
  why: 'oops in eventfs_iterate',
  source: 'known.json',
  index: 0,
  ...over,
});
const OOPS = 'RIP: 0010:eventfs_iterate+0x29c/0x340';
const res = (status: ScenarioResult['status'], over: Partial<ScenarioResult> = {}): ScenarioResult => ({
  name: 'race-getdents[uprobe]',
  scenario: 'race-getdents',
  kind: 'uprobe',
  title: 't',
  status,
  evidence: [],
  checks: 5,
  durationMs: 3000,
  references: [],
  ...over,
});
const oopsed = res('FAIL', {
  evidence: [
    {
      op: 'kernel health',
      path: '/dev/kmsg',
      expected: 'no oops',
      got: 'oops_count 0->1',
      detail: `BUG: kernel NULL pointer dereference, address: 0000000000000050\n${OOPS}`,
    },
  ],
  health: { ok: false, kernelLines: ['BUG: kernel NULL pointer dereference, address: 0000000000000050', OOPS] },
});
const otherFail = res('FAIL', {
  evidence: [{ op: 'open', path: '/t/events/g/e/enable', expected: 'ENOENT', got: 'success (fd 7)' }],
});
const R = '6.18.15+deb13-amd64';

describe('which entries cover a variant', () => {
  it('by scenario glob, kind (or *) and release glob', () => {
    expect(covers(entry({}), 'race-getdents', 'kprobe', R)).toBe(true);
    expect(covers(entry({ scenario: 'race-*' }), 'race-recreate', 'uprobe', R)).toBe(true);
    expect(covers(entry({ kind: 'kprobe' }), 'race-getdents', 'uprobe', R)).toBe(false);
    expect(covers(entry({}), 'race-getdents', 'uprobe', '6.12.118+deb12-amd64')).toBe(false);
    expect(covers(entry({ release: '6.1.*' }), 'race-getdents', 'uprobe', '6.12.38')).toBe(false);
    expect(covers(entry({}), 'race-reopen', 'uprobe', R)).toBe(false);
  });
});

describe('applyToResult', () => {
  it('a failure carrying the signature is XFAIL, quoting the line', () => {
    const r = applyToResult(oopsed, [entry({})], R);
    expect(r.status).toBe('XFAIL');
    expect(r.expectation).toMatchObject({ verdict: 'xfail', entry: 0, source: 'known.json', matched: OOPS });
    expect(r.evidence).toEqual(oopsed.evidence);
  });

  it('a failure without the signature stays FAIL, noted as not the expected one', () => {
    const r = applyToResult(otherFail, [entry({}), entry({ action: 'flaky', index: 1 })], R);
    expect(r.status).toBe('FAIL');
    expect(r.expectation?.verdict).toBe('mismatch');
    expect(exitCodeFor([r])).toBe(1);
  });

  it('every part of a signature must be in one line', () => {
    const warn = res('FAIL', {
      health: {
        ok: false,
        kernelLines: ['WARNING: CPU: 0 PID: 1 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x1f/0x110'],
      },
    });
    const both = entry({ signature: ['WARNING:', 'enable_trace_kprobe'] });
    expect(applyToResult(warn, [both], R).status).toBe('XFAIL');
    const split = res('FAIL', {
      health: {
        ok: false,
        kernelLines: ['WARNING: CPU: 0 PID: 1 at kernel/trace/trace_uprobe.c:1123', 'RIP: enable_trace_kprobe+0x1f'],
      },
    });
    expect(applyToResult(split, [both], R).status).toBe('FAIL');
  });

  it('a pass under an xfail entry is XPASS and fails the run', () => {
    const r = applyToResult(res('PASS'), [entry({})], R);
    expect(r.status).toBe('XPASS');
    expect(r.expectation?.verdict).toBe('xpass');
    expect(exitCodeFor([r])).toBe(1);
  });

  it('a pass under a flaky entry stays PASS; its matching failure is XFAIL', () => {
    const flaky = [entry({ action: 'flaky' })];
    const p = applyToResult(res('PASS'), flaky, R);
    expect(p.status).toBe('PASS');
    expect(p.expectation?.verdict).toBe('flaky-pass');
    expect(applyToResult(oopsed, flaky, R).status).toBe('XFAIL');
    expect(exitCodeFor([p, applyToResult(oopsed, flaky, R)])).toBe(0);
  });

  it('a skip entry that ran anyway acts as flaky', () => {
    expect(applyToResult(res('PASS'), [entry({ action: 'skip' })], R).status).toBe('PASS');
    expect(applyToResult(oopsed, [entry({ action: 'skip' })], R).status).toBe('XFAIL');
  });

  it('a flaky entry anywhere lets a pass stand, even after an xfail entry for the same variant', () => {
    expect(applyToResult(res('PASS'), [entry({}), entry({ action: 'flaky', index: 1 })], R).status).toBe('PASS');
  });

  it('leaves UNRESOLVED and UNSUPPORTED alone, and results no entry covers', () => {
    const u = res('UNRESOLVED', { reason: 'eventfs_iterate setup broke' });
    expect(applyToResult(u, [entry({})], R)).toBe(u);
    const s = res('UNSUPPORTED', { reason: 'no kprobes' });
    expect(applyToResult(s, [entry({})], R)).toBe(s);
    expect(applyToResult(oopsed, [entry({})], '6.12.118').status).toBe('FAIL');
    expect(applyToResult(oopsed, [], R)).toEqual(oopsed);
  });

  it("is idempotent, and a re-application with other entries starts from the scenario's own verdict", () => {
    const es = [entry({})];
    for (const r0 of [oopsed, otherFail, res('PASS')]) {
      const once = applyToResult(r0, es, R);
      expect(applyToResult(once, es, R)).toEqual(once);
      expect(applyToResult(once, [], R)).toEqual(r0);
    }
  });
});

describe('skip entries', () => {
  it('the first skip entry for the variant, and the SKIP result it gives', () => {
    const es = [
      entry({ action: 'flaky' }),
      entry({ action: 'skip', release: '6.18.44-fc-*', index: 1, why: 'oopses the host' }),
    ];
    expect(skipEntryFor(es, 'race-getdents', 'uprobe', R)).toBeUndefined();
    const e = skipEntryFor(es, 'race-getdents', 'uprobe', '6.18.44-fc-v782')!;
    expect(e.index).toBe(1);
    const r = skippedResult(
      { name: 'race-getdents[uprobe]', scenario: 'race-getdents', kind: 'uprobe', title: 't', references: [] },
      e,
      '6.18.44-fc-v782',
    );
    expect(r.status).toBe('UNSUPPORTED');
    expect(r.reason).toBe(
      'known kernel bug, not run on 6.18.44-fc-v782: oopses the host (known.json entry 1; --ignore-skips runs it)',
    );
    expect(r.expectation?.verdict).toBe('skip');
  });
});

describe("applyExpectations on a report (the host re-applying a guest's)", () => {
  const console = res('FAIL', {
    name: 'vm-console',
    scenario: 'vm-console',
    kind: 'kprobe',
    evidence: ['BUG: kernel NULL pointer dereference, address: 0000000000000050', OOPS].map((got) => ({
      op: 'console',
      path: 'serial',
      expected: 'no kernel failure report',
      got,
    })),
  });
  const report = (results: ScenarioResult[]): RunReport => ({
    tool: { name: 'tracefs-regress', version: '0' },
    startedAt: '',
    durationMs: 1,
    results,
    env: {
      kernel: { release: R, version: '', machine: 'x86_64' },
      tracefs: '/sys/kernel/tracing',
      features: [],
      hostname: 'g',
    },
  });
  const opts = { explainable: ['vm-console'] };

  it("uses the report's kernel release and does not change its input", () => {
    const rep = report([oopsed]);
    const out = applyExpectations(rep, [entry({})]);
    expect(out.results[0]!.status).toBe('XFAIL');
    expect(rep.results[0]!.status).toBe('FAIL');
    expect(applyExpectations(rep, [entry({})], '6.12.1').results[0]!.status).toBe('FAIL');
  });

  it('a console oops whose lines carry the signature of an expected failure in the same run is XFAIL too', () => {
    const out = applyExpectations(report([oopsed, console]), [entry({ action: 'flaky' })], undefined, opts);
    const c = out.results.find((r) => r.name === 'vm-console')!;
    expect(c.status).toBe('XFAIL');
    expect(c.expectation).toMatchObject({ verdict: 'xfail', via: 'race-getdents[uprobe]', matched: OOPS });
    expect(exitCodeFor(out)).toBe(0);
    expect(applyExpectations(out, [entry({ action: 'flaky' })], undefined, opts)).toEqual(out);
  });

  it('a console oops stays FAIL when no expected failure of the run explains it', () => {
    // the scenario failed differently (no signature): nothing explains the console
    const a = applyExpectations(report([otherFail, console]), [entry({})], undefined, opts);
    expect(a.results.map((r) => r.status)).toEqual(['FAIL', 'FAIL']);
    // the scenario passed: the console oops is unexplained
    const b = applyExpectations(report([res('PASS'), console]), [entry({ action: 'flaky' })], undefined, opts);
    expect(b.results.map((r) => r.status)).toEqual(['PASS', 'FAIL']);
    // not named explainable: no entry covers 'vm-console' by itself
    const c = applyExpectations(report([oopsed, console]), [entry({ scenario: 'race-*' })], undefined, {});
    expect(c.results.map((r) => r.status)).toEqual(['XFAIL', 'FAIL']);
  });
});
