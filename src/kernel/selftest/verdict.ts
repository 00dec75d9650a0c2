// SPDX-License-Identifier: GPL-2.0-only
// The self-test's judgement (`kernel selftest`): given the suite's JSON
// report for a kernel and the mutant's header, did the suite catch exactly
// what the header claims? Pure, so the rules are unit-tested without a VM;
// tables.ts renders what these return.
import type { RunReport, ScenarioResult } from '../../report/types.js';
import { type Cell, type FtraceComparison, type RaceTally, type Verdict, renderRaceLine } from './tables.js';
import type { MutantHeader } from '../patches.js';
import type { FtraceCase } from '../ftracetest.js';
import { median } from '../../bench/stats.js';
import { BOOT_RESULT, CONSOLE_RESULT } from '../../vm/matrix/matrix.js';

const HOST_RESULTS = [CONSOLE_RESULT, BOOT_RESULT];

/** `op path: expected X, got Y`: the violating op, as the report gives it. */
export function quote(r: ScenarioResult): string | undefined {
  const e = r.evidence[0];
  if (!e) return r.reason;
  return `${e.op} ${e.path}: expected ${e.expected}, got ${e.got}`;
}

/** Results by scenario id (kinds folded), with the offset each ended at since the suite started. */
function byScenario(report: RunReport): Map<string, { results: ScenarioResult[]; endS: number[] }> {
  const out = new Map<string, { results: ScenarioResult[]; endS: number[] }>();
  let t = 0;
  for (const r of report.results) {
    t += r.durationMs;
    const e = out.get(r.scenario) ?? { results: [], endS: [] };
    e.results.push(r);
    e.endS.push(t / 1000);
    out.set(r.scenario, e);
  }
  return out;
}

export function scenarioCells(report: RunReport | undefined, mutant?: Pick<MutantHeader, 'expect'>): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  if (!report) return cells;
  for (const [id, { results, endS }] of byScenario(report)) {
    const i = results.findIndex((r) => r.status === 'FAIL');
    const unres = results.findIndex((r) => r.status === 'UNRESOLVED');
    const expected = !!mutant?.expect.includes(id);
    if (i >= 0) cells.set(id, { status: 'FAIL', expected, atS: endS[i], quote: `${results[i]!.name}: ${quote(results[i]!)}` });
    else if (unres >= 0) cells.set(id, { status: 'UNRES', expected, quote: `${results[unres]!.name}: ${quote(results[unres]!)}` });
    else if (results.some((r) => r.status === 'PASS')) cells.set(id, { status: 'PASS', expected });
    else cells.set(id, { status: 'SKIP', expected, quote: results[0]?.reason });
  }
  for (const id of mutant?.expect ?? []) if (!cells.has(id)) cells.set(id, { status: '-', expected: true });
  return cells;
}

export interface VerdictOptions {
  kasan?: boolean;
  /** Ids of the race scenarios: a race-only mutant must leave every other scenario passing. */
  raceIds?: ReadonlySet<string>;
}

export function verdictFor(report: RunReport | undefined, mutant: MutantHeader | undefined, o: VerdictOptions = {}): Verdict {
  if (!report) return { ok: false, summary: 'no report', problems: ['the VM run produced no JSON report'], caught: {} };
  const cells = scenarioCells(report, mutant);
  const problems: string[] = [];
  const caught: Record<string, string> = {};
  for (const [id, c] of cells) if (c.status === 'FAIL' && c.quote) caught[id] = c.quote;
  if (!mutant) {
    for (const [id, c] of cells) {
      if (c.status === 'FAIL' || c.status === 'UNRES') problems.push(`clean kernel: ${id} ${c.status}: ${c.quote ?? ''}`);
    }
    if (![...cells.values()].some((c) => c.status === 'PASS')) problems.push('clean kernel: no scenario passed');
    const skipped = [...cells].filter(([, c]) => c.status === 'SKIP').map(([id]) => id);
    const summary = `${[...cells.values()].filter((c) => c.status === 'PASS').length} passed${skipped.length ? `, skipped ${skipped.join(' ')}` : ''}`;
    return { ok: problems.length === 0, summary, problems, caught };
  }
  for (const id of mutant.expect) {
    const c = cells.get(id);
    if (!c || c.status === '-') problems.push(`${mutant.name}: expected scenario ${id} did not run (unknown id or filtered out)`);
    // A race mutant's Expect names the races that can catch it: one boot of
    // one of them may miss, so the catch is judged over them all (below).
    else if (c.status !== 'FAIL' && !mutant.race) problems.push(`${mutant.name}: ${id} should fail but was ${c.status}`);
    else if (c.status === 'FAIL' && (!c.quote || !/expected .*, got /.test(c.quote))) problems.push(`${mutant.name}: ${id} failed without quoting the violating op`);
  }
  if (mutant.race && !mutant.expect.some((id) => cells.get(id)?.status === 'FAIL')) {
    const seen = mutant.expect.map((id) => `${id} ${cells.get(id)?.status ?? '-'}`).join(', ');
    problems.push(`${mutant.name}: none of its race scenarios caught it (${seen})`);
  }
  // `Race: yes` claims more than a catch: nothing single-threaded shows it. A
  // single-threaded FAIL means the mutant is not what its header says.
  if (mutant.race) {
    if (!o.raceIds) problems.push(`${mutant.name}: a race-only mutant needs the race scenario ids to check its claim`);
    for (const [id, c] of cells) {
      // The host's console result is the oops a race caused, not a single-threaded scenario.
      if (HOST_RESULTS.includes(id)) continue;
      if (o.raceIds && !o.raceIds.has(id) && (c.status === 'FAIL' || c.status === 'UNRES')) {
        problems.push(`${mutant.name}: race-only, yet single-threaded ${id} was ${c.status}: ${c.quote ?? ''}`);
      }
    }
    for (const id of mutant.expect) if (o.raceIds && !o.raceIds.has(id)) problems.push(`${mutant.name}: race-only, yet Expect names ${id}, which is not a race scenario`);
  }
  // `Kasan: expected ...` in a header makes a KASAN report part of the claim under --kasan.
  if (o.kasan && mutant.kasan && /^expected\b/i.test(mutant.kasan)) {
    const kasan = report.results.some((r) => r.health?.kernelLines.some((l) => l.includes('KASAN')));
    if (!kasan) problems.push(`${mutant.name}: the header expects a KASAN report, none was attached`);
  }
  const extra = Object.keys(caught).filter((id) => !mutant.expect.includes(id));
  const expected = Object.keys(caught).filter((id) => mutant.expect.includes(id)).length;
  const also = extra.length ? `; also failed ${extra.join(' ')}` : '';
  const summary = `caught in ${expected}/${mutant.expect.length} expected scenarios${also}`;
  return { ok: problems.length === 0, summary, problems, caught };
}

/** A mutant is caught by ftracetest when a test that passed on the clean kernel no longer passes (or the run broke). */
export function compareFtrace(
  clean: { cases: FtraceCase[]; status: string } | undefined,
  run: { cases: FtraceCase[]; status: string } | undefined,
): FtraceComparison {
  const count = (cs: FtraceCase[], s: string) => cs.filter((c) => c.status === s).length;
  if (!run) return { caught: false, summary: 'not run', newlyFailing: [] };
  const counts = `${count(run.cases, 'PASS')} pass, ${count(run.cases, 'FAIL')} fail, ${count(run.cases, 'UNRESOLVED')} unresolved`;
  const summary = `${counts} of ${run.cases.length}${run.status !== 'DONE' ? ` (${run.status})` : ''}`;
  const passedClean = new Set((clean?.cases ?? []).filter((c) => c.status === 'PASS').map((c) => c.name));
  const newlyFailing = run.cases.filter((c) => passedClean.has(c.name) && c.status !== 'PASS').map((c) => `${c.name} [${c.status}]`);
  const missing = [...passedClean].filter((n) => !run.cases.some((c) => c.name === n));
  return { caught: newlyFailing.length > 0 || missing.length > 0 || run.status !== 'DONE', summary, newlyFailing };
}

/**
 * Seconds of racing before the first failure: from the start of the first
 * race scenario to the end of the first failing result. The time a single-
 * threaded prefix of the suite took does not count, so the figure compares
 * across suites and kernels. Undefined when nothing failed.
 */
export function raceSecondsToFailure(report: RunReport | undefined, raceIds: ReadonlySet<string>): number | undefined {
  let t = 0;
  for (const r of report?.results ?? []) {
    if (!raceIds.has(r.scenario)) continue;
    t += r.durationMs;
    if (r.status === 'FAIL') return t / 1000;
  }
  return undefined;
}

export interface RaceRun {
  ok: boolean;
  secondsToFailure?: number;
  /** The scenarios that failed in this boot. */
  caught: string[];
}

/** A race-only mutant over several boots: caught only if every boot caught it; time to failure as a median. */
export function raceSummary(name: string, runs: readonly RaceRun[]): { ok: boolean; tally: RaceTally; line: string; problems: string[] } {
  const hits = runs.filter((r) => r.ok).length;
  const times = runs.flatMap((r) => (r.secondsToFailure === undefined ? [] : [r.secondsToFailure]));
  const tally: RaceTally = {
    name,
    boots: runs.length,
    hits,
    secondsToFailure: times,
    medianS: median(times),
    by: [...new Set(runs.flatMap((r) => r.caught))],
  };
  const problems = hits === runs.length ? [] : [`${name}: a race-only mutant missed in ${runs.length - hits} of ${runs.length} boots under the defaults`];
  if (!runs.length) problems.push(`${name}: no boot ran`);
  return { ok: problems.length === 0, tally, line: renderRaceLine(tally), problems };
}

/** What fails the self-test on one kernel: its verdict's problems, and a race-only mutant's misses over its boots. */
export function kernelProblems(name: string, verdict: Verdict, race?: { problems: string[] }): string[] {
  return [...verdict.problems, ...(race?.problems ?? [])].map((p) => `${name}: ${p}`);
}
