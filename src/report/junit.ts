// JUnit XML through junit-report-builder (what Jenkins, GitLab and most CI
// dashboards read): one <testsuite> per run, one <testcase> per result.
import { createRequire } from 'node:module';
import type { Builder, TestCase } from 'junit-report-builder';
import type { RunReport, ScenarioResult } from './types.js';
import {
  entryLabel, evidenceDetail, evidenceSummary, expectationText, healthProblems, kernelLabel, raceFields, raceNote, resultNotes,
  statsHighlights,
} from './text.js';

/** "tracefs-regress 6.12.38+deb12-amd64 (tcg thread=single)" */
export function suiteName(report: RunReport): string {
  return `${report.tool.name} ${kernelLabel(report.env)}`;
}

/** The full failure text: every evidence item, then the kernel's health and lines. */
export function failureText(r: ScenarioResult): string {
  const out: string[] = [];
  for (const e of r.evidence) {
    out.push(evidenceSummary(e));
    for (const d of evidenceDetail(e, r.health)) out.push(`    ${d}`);
  }
  if (r.health && !r.health.ok) {
    out.push(`kernel health: ${healthProblems(r.health).join('; ')}`);
    for (const l of r.health.kernelLines) out.push(`    ${l}`);
  }
  return xmlText(out.join('\n'));
}

// Required on first use, not imported: only --format junit needs it, and a TCG
// guest pays seconds for its module graph (lodash, xmlbuilder). The package is
// CommonJS (module.exports = builder) whatever its typings' `export default` says.
let root: Builder | undefined;
function junitBuilder(): Builder {
  if (!root) {
    const m = createRequire(import.meta.url)('junit-report-builder') as Builder & { default?: Builder };
    root = m.default ?? m;
  }
  return root;
}

/**
 * Characters XML 1.0 cannot carry (the library silently drops them) made visible
 * as \xNN, so a stray byte in a read payload or kernel line is still quoted.
 */
export function xmlText(s: string): string {
  return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function systemOut(r: ScenarioResult): string {
  const out: string[] = [];
  if (r.status === 'UNSUPPORTED') out.push(`SKIP: ${r.reason ?? 'unsupported'}`);
  if (r.expectation && r.expectation.verdict !== 'skip') {
    out.push(...expectationText(r.expectation).map((l) => `${r.status === 'XFAIL' ? 'XFAIL' : 'expect'}: ${l}`));
    // An XFAIL is a passed test case: its evidence goes here, not in a <failure>.
    if (r.status === 'XFAIL') out.push(failureText(r));
  }
  for (const n of resultNotes(r)) out.push(`note: ${n}`);
  for (const n of r.health?.notes ?? []) out.push(`health note: ${n}`);
  if (r.stats !== undefined) out.push(`stats: ${JSON.stringify(r.stats, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x))}`);
  if (r.references.length > 0) out.push(`references: ${r.references.join(', ')}`);
  return xmlText(out.join('\n'));
}

function addCase(tc: TestCase, r: ScenarioResult): void {
  tc.className(xmlText(r.scenario)).name(xmlText(r.name)).time(r.durationMs / 1000);
  tc.property('kind', r.kind).property('checks', String(r.checks));
  // CI dashboards have no XFAIL: a property says which expectation judged the case.
  if (r.expectation) {
    tc.property('expectation', r.expectation.verdict).property('expectation.entry', xmlText(entryLabel(r.expectation)));
  }
  if (r.race) {
    for (const [k, v] of raceFields(r.race)) tc.property(`race.${k}`, String(v));
    tc.property('race.overlapWhy', xmlText(r.race.overlapWhy));
    const note = raceNote(r.race);
    if (note) tc.property('race.note', xmlText(note));
  } else {
    for (const [k, v] of statsHighlights(r.stats)) tc.property(`stats.${k}`, String(v));
  }
  if (r.status === 'FAIL') {
    const first = r.evidence[0];
    const msg = first ? evidenceSummary(first) : r.health && !r.health.ok ? `kernel health: ${healthProblems(r.health).join('; ')}` : 'failed';
    tc.failure(xmlText(msg), 'FAIL').stacktrace(failureText(r));
  } else if (r.status === 'UNRESOLVED') {
    // ftracetest's UNRESOLVED: the scenario could not reach a verdict (setup broke); JUnit calls that an error.
    tc.error(xmlText(r.reason ?? 'unresolved'), 'UNRESOLVED', failureText(r) || undefined);
  } else if (r.status === 'XPASS') {
    tc.failure(xmlText(`XPASS: expected to fail (${r.expectation ? entryLabel(r.expectation) : 'expectations'}) but passed`), 'XPASS');
  } else if (r.status === 'UNSUPPORTED') {
    // <skipped/> carries no message in this library; the reason goes in a property and system-out.
    tc.skipped().property('skipped.reason', xmlText(r.reason ?? 'unsupported'));
  }
  const so = systemOut(r);
  if (so) tc.standardOutput(so);
}

function addSuite(b: Builder, report: RunReport): void {
  const s = b.testSuite().name(suiteName(report)).timestamp(report.startedAt).time(report.durationMs / 1000);
  const e = report.env;
  s.property('kernel.release', e.kernel.release)
    .property('kernel.version', e.kernel.version)
    .property('kernel.machine', e.kernel.machine)
    .property('tracefs', e.tracefs)
    .property('features', e.features.join(','))
    .property('hostname', e.hostname)
    .property('tool.version', report.tool.version);
  if (e.accelerator) s.property('accelerator', e.accelerator);
  if (report.interrupted) s.property('interrupted', report.interrupted);
  (e.notes ?? []).forEach((n, i) => s.property(`note.${i + 1}`, xmlText(n)));
  for (const r of report.results) addCase(s.testCase(), r);
}

/** Several runs (one per kernel) as several suites of one document. */
export function renderJunitMatrix(reports: readonly RunReport[]): string {
  // newBuilder(): the default export is a process-wide singleton that would accumulate suites.
  const b = junitBuilder().newBuilder();
  for (const r of reports) addSuite(b, r);
  return b.build() + '\n';
}

export function renderJunit(report: RunReport): string {
  return renderJunitMatrix([report]);
}
