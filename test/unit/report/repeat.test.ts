// SPDX-License-Identifier: GPL-2.0-only
// `run --repeat`/`--until-fail`, the pure part: planted iterations -> the
// summary line, the stop decision, the merged report and its exit code.
import { describe, expect, it } from 'vitest';
import {
  mergeIterations,
  percent,
  repeatLine,
  summarizeRepeat,
  wantsAnother,
  MAX_REPEAT,
  type IterationRun,
} from '../../../src/report/repeat.js';
import { exitCodeFor, renderJson, renderJunit, renderKtap, renderPretty } from '../../../src/report/index.js';
import type { RunReport } from '../../../src/report/types.js';
import { fail, notRunTerm, pass, report, result, skip } from './fixtures.js';
import { all, parseStrict } from './strict-xml.js';

const failing = result({ name: 'removed-files-enoent[uprobe]', status: 'FAIL' });
const ok = (): IterationRun => ({ report: report([pass, skip]) });
const bad = (): IterationRun => ({ report: report([failing, skip]) });
const skipped = (): IterationRun => ({ report: report([skip]) });
const faultedResult = result({
  name: 'race-stale-dirfd[uprobe]',
  status: 'UNRESOLVED',
  fault: { code: 'EMFILE', cause: 'worker 0: openat: EMFILE', fix: 'raise the fd limit: ulimit -n 228' },
});
const faulted = (): IterationRun => ({ report: report([pass, faultedResult]) });
const ten = [...Array.from({ length: 7 }, ok), bad(), ok(), bad()];

describe('repeat summary', () => {
  it('first failure at 8 even when later ones pass; the line docs/running.md shows', () => {
    const s = summarizeRepeat(ten, { count: 10, untilFail: false });
    expect(s).toMatchObject({ completed: 10, passed: 8, failed: 2, skipped: 0, planned: 10 });
    expect(s.firstFailure).toEqual({ iteration: 8, names: ['removed-files-enoent[uprobe]'] });
    expect(s.failureRate).toBeCloseTo(0.2);
    const three = [...Array.from({ length: 7 }, ok), bad(), bad(), bad()];
    expect(repeatLine(summarizeRepeat(three, { count: 10, untilFail: false }))).toBe(
      'repeat: 7/10 iterations passed; first failure at iteration 8 (removed-files-enoent[uprobe]); failure rate 30%',
    );
  });

  it('no failure; rates rounded to 0.1%', () => {
    expect(repeatLine(summarizeRepeat([ok(), ok(), ok()], { count: 3, untilFail: false }))).toBe(
      'repeat: 3/3 iterations passed; no failure; failure rate 0%',
    );
    expect(percent(1 / 8)).toBe('12.5%');
    expect(percent(1 / 3)).toBe('33.3%');
    expect(percent(1)).toBe('100%');
  });

  it('--until-fail says why it stopped: the first failure, or the cap', () => {
    const plan = { count: 10, untilFail: true };
    expect(repeatLine(summarizeRepeat([ok(), ok(), bad()], plan))).toBe(
      'repeat: 2/3 iterations passed; first failure at iteration 3 (removed-files-enoent[uprobe]); failure rate 33.3%; stopped at the first failure (--until-fail)',
    );
    expect(repeatLine(summarizeRepeat([ok(), ok(), ok()], { count: 3, untilFail: true }))).toBe(
      'repeat: 3/3 iterations passed; no failure; failure rate 0%; no failure within the cap of 3',
    );
  });

  it('an iteration where nothing ran is neither passed nor failed', () => {
    const s = summarizeRepeat([skipped(), ok()], { count: 2, untilFail: false });
    expect(s).toMatchObject({ completed: 2, passed: 1, failed: 0, skipped: 1 });
    expect(repeatLine(s)).toContain('1/2 iterations passed (1 ran nothing: all skipped)');
  });

  it('a signal: the cut iteration stays out of the rate unless something that ran in it failed', () => {
    const cut: IterationRun = {
      report: report([pass, notRunTerm], { interrupted: 'SIGINT' }),
      signal: 'SIGINT',
    };
    const s = summarizeRepeat([ok(), ok(), cut], { count: 10, untilFail: false }, 'SIGINT');
    expect(s).toMatchObject({ completed: 2, passed: 2, failed: 0, interrupted: { by: 'SIGINT', iteration: 3 } });
    expect(s.iterations.map((i) => i.status)).toEqual(['passed', 'passed', 'interrupted']);
    expect(repeatLine(s)).toBe(
      'repeat: 2/2 iterations passed; no failure; failure rate 0%; interrupted by SIGINT in iteration 3, 2 of 10 completed',
    );
    const cutAfterFail: IterationRun = { report: report([failing, notRunTerm]), signal: 'SIGINT' };
    const f = summarizeRepeat([ok(), cutAfterFail], { count: 10, untilFail: false }, 'SIGINT');
    expect(f).toMatchObject({ completed: 2, failed: 1, firstFailure: { iteration: 2 } });
    // Between two iterations: the next one never started.
    const between = summarizeRepeat([ok(), ok()], { count: 10, untilFail: false }, 'SIGTERM');
    expect(repeatLine(between)).toContain('interrupted by SIGTERM before iteration 3, 2 of 10 completed');
  });
});

describe('whether to run another iteration', () => {
  it('until the cap, whatever fails, with --repeat alone', () => {
    const plan = { count: 3, untilFail: false };
    expect(wantsAnother([], plan)).toBe(true);
    expect(wantsAnother([bad()], plan)).toBe(true);
    expect(wantsAnother([bad(), ok()], plan)).toBe(true);
    expect(wantsAnother([bad(), ok(), ok()], plan)).toBe(false);
  });
  it('--until-fail (and --bail) stop at the first failing iteration; a skipped one is no failure', () => {
    const plan = { count: MAX_REPEAT, untilFail: true };
    expect(wantsAnother([ok(), skipped()], plan)).toBe(true);
    expect(wantsAnother([ok(), bad()], plan)).toBe(false);
    expect(wantsAnother([ok(), bad()], { count: 5, untilFail: false }, true)).toBe(false);
  });
  it('never after a signal', () => {
    expect(wantsAnother([{ ...ok(), signal: 'SIGINT' }], { count: 5, untilFail: false })).toBe(false);
  });
  it("never after the tool's own failure (exit 2: out of fds or memory would come again); it stays out of the rate", () => {
    const plan = { count: 5, untilFail: false };
    expect(wantsAnother([ok(), faulted()], plan)).toBe(false);
    expect(wantsAnother([ok(), faulted()], { count: MAX_REPEAT, untilFail: true })).toBe(false);
    const s = summarizeRepeat([ok(), faulted()], plan);
    expect(s).toMatchObject({ completed: 1, passed: 1, failed: 0, skipped: 0, failureRate: 0 });
    expect(s.iterations.map((i) => i.status)).toEqual(['passed', 'error']);
    expect(repeatLine(s)).toBe(
      "repeat: 1/1 iterations passed; no failure; failure rate 0%; stopped at iteration 2: the tool's own failure (its ERROR says the fix), not the kernel's",
    );
    // A real FAIL beside the fault is the kernel's: counted, and --repeat alone goes on.
    const both: IterationRun = { report: report([faultedResult, failing]) };
    expect(summarizeRepeat([both], plan).failed).toBe(1);
    expect(wantsAnother([both], plan)).toBe(true);
  });
});

describe('the merged report', () => {
  it("every iteration's results, named <name>@<i>, and the worst iteration decides the exit code", () => {
    const m = mergeIterations([ok(), bad(), ok()], { count: 3, untilFail: false });
    expect(m.results.map((r) => r.name)).toEqual([
      'removed-files-enoent[uprobe]@1',
      'removed-files-enoent[kprobe]@1',
      'removed-files-enoent[uprobe]@2',
      'removed-files-enoent[kprobe]@2',
      'removed-files-enoent[uprobe]@3',
      'removed-files-enoent[kprobe]@3',
    ]);
    expect(m.results.map((r) => r.iteration)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(m.results[2]!.scenario).toBe('removed-files-enoent');
    expect(exitCodeFor(m)).toBe(1);
    expect(exitCodeFor(mergeIterations([ok(), ok()], { count: 2, untilFail: false }))).toBe(0);
    expect(exitCodeFor(mergeIterations([skipped(), skipped()], { count: 2, untilFail: false }))).toBe(4);
    expect(exitCodeFor(mergeIterations([skipped(), ok()], { count: 2, untilFail: false }))).toBe(0);
    // --bail inside iteration 2 is named with its iteration
    const bailed = { report: report([fail], { interrupted: '--bail after held-fd-enodev[uprobe]' }) };
    expect(mergeIterations([ok(), bailed], { count: 3, untilFail: false }).interrupted).toBe(
      'iteration 2: --bail after held-fd-enodev[uprobe]',
    );
  });
  it('spans the iterations in time; run notes once', () => {
    const a = report([pass], { startedAt: '2026-11-25T22:00:00.000Z', durationMs: 1000 });
    const b = report([pass], { startedAt: '2026-11-25T22:00:01.500Z', durationMs: 1000 });
    a.env.notes = ['lease: x'];
    b.env = { ...b.env, notes: ['lease: x'] };
    const m = mergeIterations([{ report: a }, { report: b }], { count: 2, untilFail: false });
    expect(m.durationMs).toBe(2500);
    expect(m.env.notes).toEqual(['lease: x']);
    expect(() => mergeIterations([], { count: 2, untilFail: false })).toThrow(RangeError);
  });
});

describe('a repeated run in every format', () => {
  const m = mergeIterations([ok(), ok(), bad()], { count: 3, untilFail: false });
  it('pretty: a line per iteration, the totals, then the repeat line last', () => {
    const lines = renderPretty(m).trimEnd().split('\n');
    expect(lines).toContain('iteration 1/3: 1 passed, 0 failed, 1 skipped');
    expect(lines).toContain('iteration 3/3: 0 passed, 1 failed, 1 skipped');
    expect(lines.at(-2)).toBe('2 passed, 1 failed, 3 skipped');
    expect(lines.at(-1)).toBe(
      'repeat: 2/3 iterations passed; first failure at iteration 3 (removed-files-enoent[uprobe]); failure rate 33.3%',
    );
    // after live lines, the iteration lines were already shown
    const live = renderPretty(m, { liveShown: true }).split('\n');
    expect(live.filter((l) => l.startsWith('iteration '))).toEqual([]);
    expect(live).toContain('not passed: removed-files-enoent[uprobe]@3');
  });
  it("KTAP: one test per iteration's result, '@' kept (a '#' would start a directive), the summary as a comment", () => {
    const lines = renderKtap(m).split('\n');
    expect(lines[1]).toBe('1..6');
    expect(lines).toContain('ok 1 removed-files-enoent[uprobe]@1');
    expect(lines).toContain('not ok 5 removed-files-enoent[uprobe]@3');
    expect(lines).toContain(
      '# repeat: 2/3 iterations passed; first failure at iteration 3 (removed-files-enoent[uprobe]); failure rate 33.3%',
    );
  });
  it("JUnit: valid, a testcase per iteration's result, the summary as a property", () => {
    const root = parseStrict(renderJunit(m));
    expect(all(root, 'testcase').map((c) => c.attrs.name)).toContain('removed-files-enoent[uprobe]@3');
    expect(all(root, 'testsuite')[0]!.attrs).toMatchObject({ tests: '6', failures: '1' });
    const prop = all(root, 'property').find((p) => p.attrs.name === 'repeat');
    expect(prop?.attrs.value).toMatch(/^repeat: 2\/3 iterations passed/);
  });
  it('JSON: the iteration on each result and the summary', () => {
    const j = JSON.parse(renderJson(m)) as {
      summary: { exitCode: number };
      repeat: Record<string, unknown>;
      results: { name: string; iteration: number }[];
    };
    expect(j.summary.exitCode).toBe(1);
    expect(j.results.map((r) => r.iteration)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(j.repeat).toMatchObject({
      planned: 3,
      untilFail: false,
      completed: 3,
      passed: 2,
      failed: 1,
      firstFailure: { iteration: 3, names: ['removed-files-enoent[uprobe]'] },
    });
    expect(j.repeat.failureRate).toBeCloseTo(1 / 3);
    expect(j.repeat.iterations).toMatchObject([
      { iteration: 1, status: 'passed' },
      { iteration: 2, status: 'passed' },
      { iteration: 3, status: 'failed' },
    ]);
  });
  it("read back from JSON (as `vm` reads a guest's report.json) it renders the same in every format", () => {
    const back = JSON.parse(renderJson(m)) as RunReport;
    expect(renderPretty(back)).toBe(renderPretty(m));
    expect(renderKtap(back)).toBe(renderKtap(m));
    expect(renderJunit(back)).toBe(renderJunit(m));
  });
});
