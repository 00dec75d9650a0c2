// SPDX-License-Identifier: GPL-2.0-only
// debian:6.1 (tracefs before eventfs): the removal scenarios pass, or skip
// with a reason that is true of this kernel, except the one failure this
// kernel really has, which kernel/known-bugs.json expects: it must come back
// as XFAIL with its evidence and the kernel's WARNING quoted.
import { expect, it } from 'vitest';
import { CATALOGUE } from '../../src/scenarios/catalogue.js';
import { describeVm, KNOWN_BUGS } from './helpers.js';

const removal = CATALOGUE.filter((s) => !s.race).map((s) => s.id);

/**
 * Measured 2026-11-25 on Debian's 6.1.0-56 (6.1.192): through fds held across
 * removal, filter/trigger/format still read (the FREED checks of 6.6+ are not
 * there), and writing a trigger to the removed event's trigger file reaches
 * enable_trace_kprobe / probe_event_enable of the unregistered probe:
 * WARNING at trace_kprobe.c:358 / trace_uprobe.c:1123, taint W. The entries
 * for it in kernel/known-bugs.json are `xfail`: if a newer 6.1 fixes it, the
 * result is XPASS (the run exits 1) and this test fails, so the expectation
 * gets updated rather than rot; a different failure stays a plain FAIL.
 */
const KNOWN_6_1 = {
  scenario: 'fd-across-removal',
  evidence: [/^pread .*\/filter$/, /^pread .*\/trigger$/, /^pread .*\/format$/],
  kernelLine: /WARNING: .* at kernel\/trace\/trace_(kprobe|uprobe)\.c:\d+ (enable_trace_kprobe|probe_event_enable)/,
};

const runArgs = [...removal.flatMap((id) => ['--scenario', id]), '--expect', KNOWN_BUGS];

describeVm('vm debian:6.1, removal scenarios', ['--kernel', 'debian:6.1'], runArgs, 900_000, (run) => {
  it('boots 6.1 and runs each removal scenario with kprobes', () => {
    expect(run().report.env.kernel.release).toMatch(/^6\.1\./);
    for (const id of removal)
      expect(
        run().report.results.some((r) => r.scenario === id && r.kind === 'kprobe'),
        id,
      ).toBe(true);
  });

  it('passes, or skips with a reason; the known 6.1 failure is expected, so the run passes', () => {
    const bad = run().report.results.filter(
      (r) => r.status !== 'PASS' && r.status !== 'UNSUPPORTED' && r.scenario !== KNOWN_6_1.scenario,
    );
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
    for (const r of run().report.results.filter((x) => x.status === 'UNSUPPORTED'))
      expect(r.reason, r.name).toBeTruthy();
    // kprobes exist on 6.1: a kprobe variant skipped for lack of them would be a false reason
    for (const r of run().report.results.filter((x) => x.kind === 'kprobe'))
      expect(r.reason ?? '', r.name).not.toMatch(/kprobe_events not available/);
    expect(run().exitCode).toBe(0);
  });

  it('reports the 6.1 held-fd failure as XFAIL, with the ops and the kernel WARNING quoted', () => {
    const known = run().report.results.filter((r) => r.scenario === KNOWN_6_1.scenario);
    expect(known.map((r) => r.kind).sort()).toEqual(['kprobe', 'uprobe']);
    for (const r of known) {
      // FAIL here means a different failure than the pinned one; XPASS a fixed kernel.
      expect(`${r.name}: ${r.status} (${r.expectation?.verdict ?? 'no expectation'})`).toBe(`${r.name}: XFAIL (xfail)`);
      expect(r.expectation!.source).toBe(KNOWN_BUGS);
      expect(r.expectation!.matched ?? '', r.name).toMatch(KNOWN_6_1.kernelLine);
      const lines = r.evidence.map((e) => `${e.op.split(' ')[0]} ${e.path}`);
      for (const re of KNOWN_6_1.evidence)
        expect(
          lines.some((l) => re.test(l)),
          `${r.name}: ${re}`,
        ).toBe(true);
      const kernel = r.evidence.find((e) => e.op === 'kernel health');
      expect(kernel?.detail ?? '', r.name).toMatch(KNOWN_6_1.kernelLine);
    }
  });
});
