// SPDX-License-Identifier: GPL-2.0-only
// Applies expectations to results. Pure and idempotent: the verdict depends
// only on the result's own outcome (XFAIL counts as the FAIL it was, XPASS as
// the PASS), the entries and the kernel release, so the host can re-apply a
// guest's already-judged report with the same file and get the same report.
import type { ExpectationNote, ResultKind, RunReport, ScenarioResult } from '../report/types.js';
import type { Status, ProbeKind } from '../model.js';
import { globMatch } from '../util/glob.js';
import type { ExpectEntry } from './types.js';
import { affects } from './release.js';
import { fixText } from './crashers.js';

/** Whether an entry covers this scenario variant on this kernel (a crasher's: the kernel is in its affected ranges). */
export function covers(e: ExpectEntry, scenario: string, kind: ResultKind, release: string): boolean {
  if (!globMatch(e.scenario, scenario) || (e.kind !== '*' && e.kind !== kind)) return false;
  return e.crasher ? affects(e.crasher.affected, release).affected : globMatch(e.release, release);
}

/** Which skip entries are honoured: --ignore-skips runs a file's, --run-known-crashers the crashers'. */
export interface SkipPolicy {
  ignoreSkips?: boolean;
  runKnownCrashers?: boolean;
}

/** The first skip entry for this variant on this kernel that the policy honours: the runner does not run it. */
export function skipEntryFor(
  entries: readonly ExpectEntry[],
  scenario: string,
  kind: ProbeKind,
  release: string,
  policy: SkipPolicy = {},
): ExpectEntry | undefined {
  return entries.find(
    (e) =>
      e.action === 'skip' &&
      !(e.crasher ? policy.runKnownCrashers : policy.ignoreSkips) &&
      covers(e, scenario, kind, release),
  );
}

/**
 * The lines a signature is looked for in, the most specific first (so the
 * line quoted as matched is the kernel's own where it can be): the kernel's
 * lines, each evidence item's detail lines, what it got, the whole item, then
 * the reason.
 */
export function resultLines(r: ScenarioResult): string[] {
  const out: string[] = [...(r.health?.kernelLines ?? [])];
  for (const e of r.evidence) {
    if (e.detail) out.push(...e.detail.split('\n'));
    out.push(e.got, `${e.op} ${e.path}: expected ${e.expected}, got ${e.got}`);
  }
  if (r.reason) out.push(r.reason);
  return out;
}

/** The first line holding every part of the signature. */
export function findSignature(lines: readonly string[], signature: readonly string[]): string | undefined {
  return lines.find((l) => signature.every((p) => l.includes(p)));
}

function note(
  e: ExpectEntry,
  verdict: ExpectationNote['verdict'],
  extra: Partial<ExpectationNote> = {},
): ExpectationNote {
  return {
    verdict,
    source: e.source,
    entry: e.index,
    action: e.action,
    why: e.why,
    ...(e.reference !== undefined ? { reference: e.reference } : {}),
    signature: [...e.signature],
    ...(e.crasher ? { crasher: e.crasher.id, fix: fixText(e.crasher) } : {}),
    ...extra,
  };
}

/** The scenario's own verdict, before any expectation. */
function ownStatus(r: ScenarioResult): Status {
  if (r.status === 'XFAIL') return 'FAIL';
  if (r.status === 'XPASS') return 'PASS';
  return r.status;
}

function without(r: ScenarioResult, status: Status): ScenarioResult {
  const { expectation: _dropped, ...rest } = r;
  return { ...rest, status };
}

/** The flag that runs what a crasher's skip entry keeps from running (judged as flaky). */
export const RUN_KNOWN_CRASHERS = '--run-known-crashers';
/**
 * The flag that drops the crashers altogether: they run and their failures are
 * FAILs. For kernels whose release says nothing of the fixes they carry (a
 * built tree: `vm --kernel PATH`, a bisect step, a selftest mutant).
 */
export const IGNORE_KNOWN_CRASHERS = '--ignore-known-crashers';

/** The reason a skip entry gives its SKIP result. */
export function skipReason(e: ExpectEntry, release: string): string {
  if (e.crasher) {
    const c = e.crasher;
    return (
      `known kernel crasher, not run on ${release}: it hits ${c.id} (${c.title}; ${affects(c.affected, release).because}), ` +
      `fixed by ${fixText(c)}; ${RUN_KNOWN_CRASHERS} runs it anyway (the kernel may oops; a \`vm\` guest is disposable)`
    );
  }
  return `known kernel bug, not run on ${release}: ${e.why} (${e.source} entry ${e.index}; --ignore-skips runs it)`;
}

/** A result a skip entry kept from running. */
export function skippedResult(
  base: Omit<ScenarioResult, 'status' | 'evidence' | 'checks' | 'durationMs'>,
  e: ExpectEntry,
  release: string,
): ScenarioResult {
  return {
    ...base,
    status: 'UNSUPPORTED',
    reason: skipReason(e, release),
    evidence: [],
    checks: 0,
    durationMs: 0,
    expectation: note(e, 'skip'),
  };
}

/**
 * One result under the entries: a FAIL with a covering entry's signature is
 * XFAIL; a PASS under only xfail entries is XPASS; a PASS under a flaky (or
 * skip, if it ran anyway) entry stays PASS; a FAIL without any covering
 * entry's signature stays FAIL (noted as a mismatch). UNRESOLVED and
 * UNSUPPORTED (and TIMEOUT) are left alone: an expected kernel bug excuses no broken setup.
 */
export function applyToResult(r: ScenarioResult, entries: readonly ExpectEntry[], release: string): ScenarioResult {
  const own = ownStatus(r);
  if (own === 'UNSUPPORTED' || own === 'UNRESOLVED' || own === 'TIMEOUT') return r;
  const base = without(r, own);
  const mine = entries.filter((e) => covers(e, r.scenario, r.kind, release));
  if (mine.length === 0) return base;
  if (own === 'FAIL') {
    const lines = resultLines(r);
    for (const e of mine) {
      const matched = findSignature(lines, e.signature);
      if (matched !== undefined) return { ...base, status: 'XFAIL', expectation: note(e, 'xfail', { matched }) };
    }
    return { ...base, expectation: note(mine[0]!, 'mismatch') };
  }
  const lenient = mine.find((e) => e.action !== 'xfail');
  if (lenient) return { ...base, expectation: note(lenient, 'flaky-pass') };
  return { ...base, status: 'XPASS', expectation: note(mine[0]!, 'xpass') };
}

export interface ApplyOptions {
  /**
   * Host-side results (the VM console's) that no entry covers by name: a FAIL
   * among them becomes XFAIL when its lines carry the signature of an entry
   * that explained another result's failure in the same report.
   */
  explainable?: readonly string[];
}

/** Every result of a report under the entries, for the report's kernel (or `release`). A new report; the input is not changed. */
export function applyExpectations(
  report: RunReport,
  entries: readonly ExpectEntry[],
  release: string = report.env.kernel.release,
  opts: ApplyOptions = {},
): RunReport {
  const host = new Set(opts.explainable ?? []);
  const results = report.results.map((r) => (host.has(r.name) ? r : applyToResult(r, entries, release)));
  const explaining = results.filter((r) => r.status === 'XFAIL' && r.expectation && !host.has(r.name));
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    if (!host.has(r.name)) continue;
    const own = ownStatus(r);
    const base = without(r, own);
    results[i] = base;
    if (own !== 'FAIL') continue;
    const lines = resultLines(r);
    for (const x of explaining) {
      const matched = findSignature(lines, x.expectation!.signature);
      if (matched === undefined) continue;
      results[i] = { ...base, status: 'XFAIL', expectation: { ...x.expectation!, matched, via: x.name } };
      break;
    }
  }
  return { ...report, results };
}
