// SPDX-License-Identifier: GPL-2.0-only
// The self-test's tables. The expected strings are what scripts/test-mutants.mjs
// printed before the self-test moved behind `kernel selftest`: same input, same table.
import { describe, expect, it } from 'vitest';
import {
  renderFtraceTable,
  renderRaceLine,
  renderRaceSection,
  renderSuiteTable,
  selftestOutcome,
  type Cell,
  type SuiteRow,
  type Verdict,
} from '../../../../src/kernel/selftest/tables.js';
import { kernelProblems, scenarioCells, verdictFor } from '../../../../src/kernel/selftest/verdict.js';
import type { RunReport, ScenarioResult } from '../../../../src/report/types.js';

const cells = (o: Record<string, Cell>) => new Map(Object.entries(o));
const ok = (caught: Record<string, string> = {}): Verdict => ({ ok: true, summary: '', problems: [], caught });
const QUOTE = 'a[kprobe]: stat x: expected ENOENT, got success';

describe('self-test tables', () => {
  it('renders the suite table as the script did: times on FAIL, * on claims, NOT OK, the first violation per mutant', () => {
    const rows: SuiteRow[] = [
      {
        name: 'clean',
        cells: cells({ a: { status: 'PASS', expected: false }, b: { status: 'SKIP', expected: false } }),
        verdict: ok(),
        wallMs: 63_400,
      },
      {
        name: 'm1',
        cells: cells({
          a: { status: 'FAIL', expected: true, atS: 4.25, quote: QUOTE },
          b: { status: 'UNRES', expected: false },
        }),
        verdict: ok({ a: QUOTE }),
        wallMs: 61_000,
      },
      {
        name: 'm2',
        cells: cells({ a: { status: 'PASS', expected: true }, c: { status: '-', expected: true } }),
        verdict: { ok: false, summary: '', problems: ['x'], caught: {} },
        wallMs: 1_499,
      },
    ];
    expect(renderSuiteTable(rows)).toBe(
      '| kernel | a | b | c | verdict | suite wall |\n|---|---|---|---|---|---|\n| clean | PASS | SKIP |  | ok | 63 s |\n' +
        '| m1 | FAIL 4.3s* | UNRES |  | ok | 61 s |\n| m2 | PASS* |  | -* | NOT OK | 1 s |\n\n' +
        "`*` = named in the mutant's header; FAIL time = seconds from suite start to the end of the first failing run.\n\n" +
        'First violation quoted per mutant:\n- m1 / a: a[kprobe]: stat x: expected ENOENT, got success',
    );
  });

  it("renders a race-only mutant's boots: hits, median and each boot's seconds, who caught it", () => {
    const line = renderRaceLine({
      name: 'r',
      boots: 2,
      hits: 1,
      secondsToFailure: [30.71],
      medianS: 30.71,
      by: ['race-x'],
    });
    expect(line).toBe('r: caught in 1/2 boots; first failure after 30.7 s of racing (median; 30.7); by race-x');
    expect(renderRaceLine({ name: 'r', boots: 3, hits: 0, secondsToFailure: [], by: [] })).toBe(
      'r: caught in 0/3 boots; by nothing',
    );
    expect(renderRaceSection([line, 'q'], 3)).toBe(
      `\n\nRace-only mutants, 3 boots each under the defaults:\n- ${line}\n- q`,
    );
    expect(renderRaceSection([], 3)).toBe('');
  });

  it('renders the ftracetest comparison: the clean row its counts, the others caught or missed, four tests named', () => {
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `${n} [FAIL]`);
    expect(
      renderFtraceTable([
        {
          name: 'clean',
          clean: true,
          comparison: { caught: false, summary: '6 pass, 0 fail, 0 unresolved of 6', newlyFailing: [] },
          wallMs: 275_000,
        },
        {
          name: 'm1',
          clean: false,
          comparison: { caught: true, summary: '0 pass, 6 fail', newlyFailing: six },
          wallMs: 270_400,
        },
        {
          name: 'm3',
          clean: false,
          comparison: { caught: false, summary: '6 pass', newlyFailing: [] },
          wallMs: 257_000,
        },
      ]),
    ).toBe(
      '| kernel | ftracetest verdict | newly failing tests (vs clean) | wall |\n|---|---|---|---|\n' +
        '| clean | 6 pass, 0 fail, 0 unresolved of 6 |  | 275 s |\n' +
        '| m1 | caught | a [FAIL]; b [FAIL]; c [FAIL]; d [FAIL] (+2) | 270 s |\n' +
        '| m3 | missed |  | 257 s |',
    );
  });

  it('passes only with no problems, and says so only when the suite ran', () => {
    expect(selftestOutcome([], { suiteRan: true })).toEqual({
      exitCode: 0,
      lines: ['every mutant caught where its header says; the clean kernel passed'],
    });
    expect(selftestOutcome([], { suiteRan: false })).toEqual({ exitCode: 0, lines: [] });
    expect(selftestOutcome(['a: x', 'b: y'], { suiteRan: true })).toEqual({
      exitCode: 1,
      lines: ['FAILED:\n  a: x\n  b: y'],
    });
  });
});

describe('a planted miss fails the self-test', () => {
  const result = (scenario: string, status: ScenarioResult['status'], got?: string): ScenarioResult => ({
    name: `${scenario}[kprobe]`,
    scenario,
    kind: 'kprobe',
    title: scenario,
    status,
    evidence: got ? [{ op: 'stat', path: '/t/events/g/e/enable', expected: 'ENOENT', got }] : [],
    checks: 1,
    durationMs: 2000,
    references: [],
  });
  const report = (results: ScenarioResult[]): RunReport => ({
    tool: { name: 'tracefs-regress', version: '0' },
    startedAt: '',
    durationMs: 0,
    env: { kernel: { release: '6.12', version: '', machine: 'x86_64' }, tracefs: '/t', features: [], hostname: 'h' },
    results,
  });
  const mutant = { name: 'm', undoes: ['x'], expect: ['removed-files-enoent'], description: 'd' };

  it('renders a mutant the suite did not catch as NOT OK and counts it as a failure (exit 1)', () => {
    // The planted bad input: the scenario the header names passed on the mutant kernel.
    const r = report([result('removed-files-enoent', 'PASS')]);
    const v = verdictFor(r, mutant);
    const table = renderSuiteTable([{ name: 'm', cells: scenarioCells(r, mutant), verdict: v, wallMs: 60_000 }]);
    expect(table).toContain('| m | PASS* | NOT OK | 60 s |');
    const out = selftestOutcome(kernelProblems('m', v), { suiteRan: true });
    expect(out.exitCode).toBe(1);
    expect(out.lines).toEqual(['FAILED:\n  m: m: removed-files-enoent should fail but was PASS']);
  });

  it('and the same mutant caught renders ok and passes', () => {
    const r = report([result('removed-files-enoent', 'FAIL', 'success')]);
    const v = verdictFor(r, mutant);
    expect(renderSuiteTable([{ name: 'm', cells: scenarioCells(r, mutant), verdict: v, wallMs: 60_000 }])).toContain(
      '| m | FAIL 2.0s* | ok | 60 s |',
    );
    expect(selftestOutcome(kernelProblems('m', v), { suiteRan: true }).exitCode).toBe(0);
  });

  it('counts a clean kernel with a failure, and a race-only mutant missed in one boot, as failures', () => {
    const clean = verdictFor(report([result('removed-files-enoent', 'FAIL', 'success')]), undefined);
    expect(kernelProblems('clean', clean)).toEqual([
      'clean: clean kernel: removed-files-enoent FAIL: removed-files-enoent[kprobe]: stat /t/events/g/e/enable: expected ENOENT, got success',
      'clean: clean kernel: no scenario passed',
    ]);
    expect(
      kernelProblems('r', ok(), { problems: ['r: a race-only mutant missed in 1 of 3 boots under the defaults'] }),
    ).toEqual(['r: r: a race-only mutant missed in 1 of 3 boots under the defaults']);
  });
});
