// SPDX-License-Identifier: GPL-2.0-only
// JUnit XML (what Jenkins, GitLab and most CI dashboards read): one
// <testsuite> per run, one <testcase> per result, written by xml.ts, which
// escapes every character (no CDATA, so a "]]>" in a failure cannot end it).
import type { RunReport, ScenarioResult } from './types.js';
import {
  entryLabel,
  evidenceDetail,
  evidenceSummary,
  expectationText,
  healthProblems,
  kernelLabel,
  raceFields,
  raceNote,
  resultNotes,
  statsHighlights,
} from './text.js';
import { el, serialize, textEl, type XmlElement } from './xml.js';
import { repeatLine } from './repeat.js';
import { knownBugLine } from './known-bug.js';

/** "tracefs-regress 6.12.38+deb12-amd64 (tcg thread=single)" */
export function suiteName(report: RunReport): string {
  return `${report.tool.name} ${kernelLabel(report.env)}`;
}

/** The full failure text: every evidence item, then the kernel's health and lines. */
export function failureText(r: ScenarioResult): string {
  const out: string[] = [];
  const named = knownBugLine(r);
  if (named) out.push(named);
  for (const e of r.evidence) {
    out.push(evidenceSummary(e));
    for (const d of evidenceDetail(e, r.health)) out.push(`    ${d}`);
  }
  if (r.health && !r.health.ok) {
    out.push(`kernel health: ${healthProblems(r.health).join('; ')}`);
    for (const l of r.health.kernelLines) out.push(`    ${l}`);
  }
  return out.join('\n');
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
  if (r.stats !== undefined)
    out.push(`stats: ${JSON.stringify(r.stats, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x))}`);
  if (r.references.length > 0) out.push(`references: ${r.references.join(', ')}`);
  return out.join('\n');
}

const prop = (name: string, value: string | number): XmlElement =>
  el('property', [
    ['name', name],
    ['value', value],
  ]);

function caseProperties(r: ScenarioResult): XmlElement[] {
  const p = [prop('kind', r.kind), prop('checks', r.checks)];
  // CI dashboards have no XFAIL: a property says which expectation judged the case.
  if (r.expectation)
    p.push(prop('expectation', r.expectation.verdict), prop('expectation.entry', entryLabel(r.expectation)));
  // Which known bug a failure is (or that it is none), for dashboards that group by property.
  if (r.knownBug) p.push(prop('knownBug', r.knownBug.id), prop('knownBug.verdict', r.knownBug.verdict));
  if (r.new) p.push(prop('new', 'true'));
  if (r.notRun) p.push(prop('notRun', r.notRun));
  if (r.cutShort) p.push(prop('cutShort', r.cutShort));
  if (r.timeout) {
    p.push(prop('timeout.limitMs', r.timeout.limitMs), prop('timeout.signals', r.timeout.signals));
    p.push(prop('timeout.overrunMs', Math.round(r.timeout.overrunMs)));
  }
  if (r.race) {
    for (const [k, v] of raceFields(r.race)) p.push(prop(`race.${k}`, v));
    p.push(prop('race.overlapWhy', r.race.overlapWhy));
    const note = raceNote(r.race);
    if (note) p.push(prop('race.note', note));
  } else {
    for (const [k, v] of statsHighlights(r.stats)) p.push(prop(`stats.${k}`, v));
  }
  return p;
}

/** The <failure>, <error> or <skipped> of a result, if it has one. */
function outcome(r: ScenarioResult): XmlElement | undefined {
  if (r.status === 'FAIL') {
    const first = r.evidence[0];
    const msg = first
      ? evidenceSummary(first)
      : r.health && !r.health.ok
        ? `kernel health: ${healthProblems(r.health).join('; ')}`
        : 'failed';
    return textEl(
      'failure',
      [
        ['message', msg],
        ['type', 'FAIL'],
      ],
      failureText(r),
    );
  }
  if (r.status === 'UNRESOLVED') {
    // ftracetest's UNRESOLVED: the scenario could not reach a verdict (setup broke, or it never ran); JUnit calls that an error.
    return textEl(
      'error',
      [
        ['message', r.reason ?? 'unresolved'],
        ['type', r.notRun ? 'NOT_RUN' : 'UNRESOLVED'],
      ],
      failureText(r),
    );
  }
  if (r.status === 'TIMEOUT') {
    // No verdict: the watchdog interrupted it. Evidence found before (or caused by the interruption) stays below.
    return textEl(
      'error',
      [
        ['message', r.reason ?? 'timed out'],
        ['type', 'TIMEOUT'],
      ],
      failureText(r),
    );
  }
  if (r.status === 'XPASS') {
    const why = `XPASS: expected to fail (${r.expectation ? entryLabel(r.expectation) : 'expectations'}) but passed`;
    return el('failure', [
      ['message', why],
      ['type', 'XPASS'],
    ]);
  }
  if (r.status === 'UNSUPPORTED') return el('skipped', [['message', r.reason ?? 'unsupported']]);
  return undefined;
}

/**
 * classname: the scenario id; with several kernels in one document, prefixed
 * by the kernel ("6.12.38+deb12-amd64.race-reopen": Jenkins takes the part
 * before the last dot as the package, so each kernel groups its cases).
 */
function testCase(r: ScenarioResult, kernel: string | undefined): XmlElement {
  const classname = kernel ? `${kernel}.${r.scenario}` : r.scenario;
  const children = [el('properties', [], caseProperties(r))];
  const o = outcome(r);
  if (o) children.push(o);
  const so = systemOut(r);
  if (so) children.push(textEl('system-out', [], so));
  return el(
    'testcase',
    [
      ['classname', classname],
      ['name', r.name],
      ['time', r.durationMs / 1000],
    ],
    children,
  );
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function counts(results: readonly ScenarioResult[]): Counts {
  const c = { tests: results.length, failures: 0, errors: 0, skipped: 0 };
  for (const r of results) {
    if (r.status === 'FAIL' || r.status === 'XPASS') c.failures++;
    else if (r.status === 'UNRESOLVED' || r.status === 'TIMEOUT') c.errors++;
    else if (r.status === 'UNSUPPORTED') c.skipped++;
  }
  return c;
}

const countAttrs = (c: Counts): Array<[string, number]> => [
  ['tests', c.tests],
  ['failures', c.failures],
  ['errors', c.errors],
  ['skipped', c.skipped],
];

function suite(report: RunReport, qualify: boolean): XmlElement {
  const e = report.env;
  const props = [
    prop('kernel.release', e.kernel.release),
    prop('kernel.version', e.kernel.version),
    prop('kernel.machine', e.kernel.machine),
    prop('tracefs', e.tracefs),
    prop('features', e.features.join(',')),
    prop('hostname', e.hostname),
    prop('tool.version', report.tool.version),
  ];
  if (e.accelerator) props.push(prop('accelerator', e.accelerator));
  if (report.interrupted) props.push(prop('interrupted', report.interrupted));
  if (report.repeat) props.push(prop('repeat', repeatLine(report.repeat)));
  (e.notes ?? []).forEach((n, i) => props.push(prop(`note.${i + 1}`, n)));
  const kernel = qualify ? kernelLabel(e) : undefined;
  const attrs: Array<[string, string | number]> = [
    ['name', suiteName(report)],
    ['timestamp', report.startedAt],
    ['time', report.durationMs / 1000],
    ...countAttrs(counts(report.results)),
  ];
  return el('testsuite', attrs, [el('properties', [], props), ...report.results.map((r) => testCase(r, kernel))]);
}

/** Several runs (one per kernel) as several suites of one document; each case's classname names its kernel. */
export function renderJunitMatrix(reports: readonly RunReport[]): string {
  const total = counts(reports.flatMap((r) => r.results));
  return serialize(
    el(
      'testsuites',
      countAttrs(total),
      reports.map((r) => suite(r, reports.length > 1)),
    ),
  );
}

export function renderJunit(report: RunReport): string {
  return renderJunitMatrix([report]);
}
