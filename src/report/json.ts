// SPDX-License-Identifier: GPL-2.0-only
// The RunReport as JSON with a fixed key order (diffable between runs and
// kernels), plus the summary and exit code a consumer would otherwise recompute.
import type { Evidence } from '../model.js';
import {
  summarize,
  type ExpectationNote,
  type RepeatSummary,
  type RunReport,
  type ScenarioResult,
  type Summary,
} from './types.js';
import { repeatLine } from './repeat.js';
import { type HealthDelta } from '../health/types.js';
import { exitCodeFor, exitCodeForAll } from './exit-code.js';
import { raceNote } from './text.js';
import type { RaceSummary } from '../race/types.js';
import { kernelciStatus } from './kernelci.js';
import { matrixVerdicts } from './verdicts.js';
import { verdictsJson } from './verdicts-json.js';

export const JSON_SCHEMA = 'tracefs-regress/report@1';

/** Drops undefined members so optional fields are absent rather than null. */
function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

const evidenceJson = (e: Evidence) =>
  compact({ op: e.op, path: e.path, expected: e.expected, got: e.got, detail: e.detail });

const healthJson = (h: HealthDelta) =>
  compact({
    ok: h.ok,
    oopsCount: h.oopsCount && { before: h.oopsCount.before, after: h.oopsCount.after },
    warnCount: h.warnCount && { before: h.warnCount.before, after: h.warnCount.after },
    taint:
      h.taint &&
      compact({ before: h.taint.before, after: h.taint.after, letters: h.taint.letters, gained: h.taint.gained }),
    kernelLines: [...h.kernelLines],
    notes: h.notes && [...h.notes],
  });

/**
 * Fixed key order; cyclesPerSec (the figure of merit) leads the figures. The
 * no-overlap note is derived afresh each time (never read back), so a report
 * the host re-renders from the guest's JSON says it once, in current words.
 */
const raceJson = (x: RaceSummary): RaceSummary & { note?: string } =>
  compact({
    overlap: x.overlap,
    overlapWhy: x.overlapWhy,
    note: raceNote(x),
    cyclesPerSec: x.cyclesPerSec,
    cycles: x.cycles,
    opsPerSec: x.opsPerSec,
    ops: x.ops,
    threads: x.threads,
    cpus: x.cpus,
  });

const expectationJson = (n: ExpectationNote) =>
  compact({
    verdict: n.verdict,
    source: n.source,
    entry: n.entry,
    action: n.action,
    why: n.why,
    reference: n.reference,
    signature: [...n.signature],
    matched: n.matched,
    via: n.via,
    crasher: n.crasher,
    fix: n.fix,
  });

const resultJson = (r: ScenarioResult) =>
  compact({
    name: r.name,
    scenario: r.scenario,
    kind: r.kind,
    title: r.title,
    status: r.status,
    kernelci: kernelciStatus(r.status),
    reason: r.reason,
    notRun: r.notRun,
    cutShort: r.cutShort,
    fault: r.fault && { code: r.fault.code, cause: r.fault.cause, fix: r.fault.fix },
    timeout: r.timeout && {
      limitMs: r.timeout.limitMs,
      signals: r.timeout.signals,
      overrunMs: Math.round(r.timeout.overrunMs),
    },
    checks: r.checks,
    durationMs: r.durationMs,
    evidence: r.evidence.map(evidenceJson),
    health: r.health && healthJson(r.health),
    race: r.race && raceJson(r.race),
    // Race statistics belong to src/race; carried as they are.
    stats: r.stats,
    notes: r.notes && [...r.notes],
    expectation: r.expectation && expectationJson(r.expectation),
    knownBug:
      r.knownBug &&
      compact({
        id: r.knownBug.id,
        title: r.knownBug.title,
        fix: { commit: r.knownBug.fix.commit, subject: r.knownBug.fix.subject, mainline: r.knownBug.fix.mainline },
        verdict: r.knownBug.verdict,
        text: r.knownBug.text,
        matched: r.knownBug.matched,
        note: r.knownBug.note,
      }),
    new: r.new,
    references: [...r.references],
    iteration: r.iteration,
    reproducer:
      r.reproducer &&
      compact({
        file: r.reproducer.file,
        mode: r.reproducer.mode,
        steps: r.reproducer.steps && { kept: r.reproducer.steps.kept, total: r.reproducer.steps.total },
      }),
  });

/** A repeated run's summary, fixed key order; failureRate as a fraction (0.3), the line as the pretty format prints it. */
const repeatJson = (x: RepeatSummary) =>
  compact({
    line: repeatLine(x),
    planned: x.planned,
    untilFail: x.untilFail,
    completed: x.completed,
    passed: x.passed,
    failed: x.failed,
    skipped: x.skipped,
    failureRate: x.failureRate,
    firstFailure: x.firstFailure && { iteration: x.firstFailure.iteration, names: [...x.firstFailure.names] },
    interrupted: x.interrupted && { by: x.interrupted.by, iteration: x.interrupted.iteration },
    // With each iteration's totals, so a host that reads a guest's report.json back (vm) renders it whole.
    iterations: x.iterations.map((it) => ({ iteration: it.iteration, status: it.status, totals: { ...it.totals } })),
  });

const summaryJson = (s: Summary, exitCode: number) => ({
  pass: s.pass,
  fail: s.fail,
  xfail: s.xfail,
  xpass: s.xpass,
  unresolved: s.unresolved,
  notRun: s.notRun,
  timeout: s.timeout,
  skip: s.skip,
  total: s.total,
  exitCode,
});

/**
 * What a document holds (schema/report.schema.json): `run`, one kernel's run;
 * `matrix`, several kernels' runs (`vm --matrix`, several --kernel), each a
 * `run` document under `runs`, with totals over all of them.
 */
export type ReportShape = 'run' | 'matrix';

/** The object renderJson serializes. */
export function toJson(report: RunReport): Record<string, unknown> {
  const e = report.env;
  return compact({
    schema: JSON_SCHEMA,
    report: 'run' satisfies ReportShape,
    tool: { name: report.tool.name, version: report.tool.version },
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    env: compact({
      kernel: { release: e.kernel.release, version: e.kernel.version, machine: e.kernel.machine },
      tracefs: e.tracefs,
      features: [...e.features],
      accelerator: e.accelerator,
      hostname: e.hostname,
      notes: e.notes && [...e.notes],
      config: e.config && { source: e.config.source, lines: [...e.config.lines] },
    }),
    summary: summaryJson(summarize(report.results), exitCodeFor(report)),
    interrupted: report.interrupted,
    reproDir: report.reproDir,
    repeat: report.repeat && repeatJson(report.repeat),
    matrix: report.matrix && {
      index: report.matrix.index,
      cells: report.matrix.cells,
      kernel: report.matrix.kernel,
      boot: report.matrix.boot,
      boots: report.matrix.boots,
      plan: report.matrix.plan,
      ...(report.matrix.shard ? { shard: report.matrix.shard } : {}),
    },
    results: report.results.map(resultJson),
  });
}

/**
 * JSON.stringify escapes C0 controls; DEL and C1 (U+009B is a CSI to some
 * terminals) are escaped too, so `cat report.json` shows every kernel byte as text.
 */
const stringify = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x), 2).replace(
    /[\x7f-\x9f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  ) + '\n';

export function renderJson(report: RunReport): string {
  return stringify(toJson(report));
}

/** Several runs (one per boot) in one document, with totals over all of them and the verdict of each kernel x scenario. */
export function renderJsonMatrix(reports: readonly RunReport[]): string {
  const all = reports.flatMap((r) => r.results);
  return stringify({
    schema: JSON_SCHEMA,
    report: 'matrix' satisfies ReportShape,
    summary: summaryJson(summarize(all), exitCodeForAll(reports)),
    runs: reports.map(toJson),
    // The kernel x scenario verdicts over every kernel's boots; `perBoot[].run` indexes `runs`.
    verdicts: verdictsJson(matrixVerdicts(reports)),
  });
}
