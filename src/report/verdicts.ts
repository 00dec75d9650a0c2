// SPDX-License-Identifier: GPL-2.0-only
// The verdict over N boots: a vm run's (or merged shards') reports grouped
// into kernel x scenario cells, each with the boots that caught a failure
// (k/N), the median seconds of racing to the first failure, the worst status,
// the known bug it matches and every boot's console lines. Every matrix
// format (JSON's verdicts, KTAP, JUnit, markdown, HTML, vm's stderr table)
// renders this one aggregation, so `vm`, `report FILE` and `report merge` agree.
import { knownBugLabel } from './known-bug.js';
import type { ResultStatus, RunReport, ScenarioResult } from './types.js';
import { evidenceDetail, evidenceSummary } from './text.js';

/** The host's own checks: absent from a boot that reported means clean. */
const HOST_CHECKS = new Set(['vm-console', 'vm-boot']);

/** A boot's status for a cell: the result's, or MISSING when that boot has no such result (never reported, shard not merged). */
export type CellStatus = ResultStatus | 'MISSING';

/**
 * Worst first. A failure seen in any boot stands whatever the others did
 * (FAIL; XPASS, an expectation that no longer holds; then the tool's own
 * TIMEOUT and UNRESOLVED, which fail a run too); an expected failure (XFAIL)
 * is still a failure caught; a missing boot leaves a clean verdict incomplete,
 * so it outranks PASS; UNSUPPORTED ran nothing.
 */
export const STATUS_ORDER: readonly CellStatus[] = [
  'FAIL',
  'XPASS',
  'TIMEOUT',
  'UNRESOLVED',
  'XFAIL',
  'MISSING',
  'PASS',
  'UNSUPPORTED',
];

export function worstStatus(statuses: readonly CellStatus[]): CellStatus {
  let best = STATUS_ORDER.length - 1;
  for (const s of statuses) best = Math.min(best, STATUS_ORDER.indexOf(s));
  return statuses.length ? STATUS_ORDER[best]! : 'MISSING';
}

/** A boot caught the failure: the kernel failed (FAIL) or failed as a known bug expects (XFAIL). */
export const caughtStatus = (s: CellStatus): boolean => s === 'FAIL' || s === 'XFAIL';

/** The known bug a result is labelled with, and the fix to backport. */
export interface KnownBugLabel {
  /** e.g. "CVE-2026-74605", else the entry ("kernel/known-bugs.json entry 3"). */
  id: string;
  why: string;
  fix?: string;
  reference?: string;
}

/**
 * The known-bug label of one result: today its --expect/known-crasher entry,
 * when that entry judged the result as its bug (matched: xfail; expected but
 * absent: xpass; not run for it: skip). The one place to point at a richer
 * known-bug annotation.
 */
export function cellLabel(r: ScenarioResult): KnownBugLabel | undefined {
  // The catalogue's naming (expect/naming.ts) first: the bug, its verdict and the fix to backport.
  const k = r.knownBug;
  if (k)
    return {
      id: knownBugLabel(r)!,
      why: k.text,
      fix: `${k.fix.commit} ("${k.fix.subject}")`,
      ...(k.note ? { reference: k.note } : {}),
    };
  if (r.new) return { id: 'NEW', why: 'a failure that matches no known bug in kernel/known-bugs.json' };
  const n = r.expectation;
  if (!n || n.verdict === 'flaky-pass' || n.verdict === 'mismatch') return undefined;
  return {
    id: n.crasher ?? `${n.source} entry ${n.entry}`,
    why: n.why,
    ...(n.fix ? { fix: n.fix } : {}),
    ...(n.reference ? { reference: n.reference } : {}),
  };
}

/**
 * Seconds of racing to a boot's first failure: the start of the earliest
 * violating operation (for a worker an oops killed, the system call it died
 * in); a failure with no violation (the kernel's health alone) counts the
 * race's whole elapsed time; a non-race scenario its duration; the host's
 * console and boot checks have none (the console line carries no offset).
 */
export function secondsToFailure(r: ScenarioResult): number | undefined {
  if (r.kind === 'vm') return undefined;
  const v = r.stats?.violations ?? [];
  if (v.length) return Math.min(...v.map((x) => x.startUs)) / 1e6;
  if (r.stats && Number.isFinite(r.stats.elapsedMs)) return r.stats.elapsedMs / 1000;
  return r.durationMs / 1000;
}

export function median(xs: readonly number[]): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface BootVerdict {
  boot: number;
  /** Index of the boot's report in the reports given (absent: the boot never reported). */
  run?: number;
  status: CellStatus;
  /** Seconds of racing to the first failure, for a boot that caught one. */
  seconds?: number;
  durationMs?: number;
  reason?: string;
  label?: KnownBugLabel;
  /** The result's own evidence, one line each (kernel lines included): untrusted kernel text. */
  evidence: string[];
  /** The boot's console failure lines (its vm-console result): untrusted kernel text. */
  console: string[];
}

export interface VerdictCell {
  kernel: string;
  scenario: string;
  /** The worst of the boots' statuses (STATUS_ORDER). */
  status: CellStatus;
  /** Boots planned for the kernel (N). */
  boots: number;
  /** Boots that have this result. */
  ran: number;
  /** Boots that caught a failure (k): FAIL or XFAIL. */
  caught: number;
  /** Median over the caught boots of secondsToFailure. */
  medianSeconds?: number;
  /** The first labelled boot's known bug, a caught boot's first. */
  label?: KnownBugLabel;
  perBoot: BootVerdict[];
}

export interface KernelVerdict {
  kernel: string;
  boots: number;
  /** Boots whose report is here. */
  reported: number;
  accelerators: string[];
}

export interface MatrixVerdicts {
  /** The most boots any kernel planned. */
  boots: number;
  kernels: KernelVerdict[];
  /** Result names, first seen first, the host's checks last. */
  scenarios: string[];
  /** Kernel-major: cells[k * scenarios.length + s]. */
  cells: VerdictCell[];
}

export const kernelOf = (r: RunReport): string => r.matrix?.kernel ?? r.env.kernel.release;

/** The reports grouped by kernel and result name, every cell judged over its kernel's boots. */
export function matrixVerdicts(reports: readonly RunReport[]): MatrixVerdicts {
  const order = reports
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.matrix?.index ?? a.i) - (b.r.matrix?.index ?? b.i));
  const byKernel = new Map<string, Array<{ r: RunReport; i: number; boot: number }>>();
  for (const { r, i } of order) {
    const k = kernelOf(r);
    const list = byKernel.get(k) ?? [];
    list.push({ r, i, boot: r.matrix?.boot ?? list.length + 1 });
    byKernel.set(k, list);
  }
  const names: string[] = [];
  for (const { r } of order) for (const x of r.results) if (!names.includes(x.name)) names.push(x.name);
  const scenarios = [...names.filter((n) => !HOST_CHECKS.has(n)), ...names.filter((n) => HOST_CHECKS.has(n))];
  const kernels: KernelVerdict[] = [];
  const cells: VerdictCell[] = [];
  for (const [kernel, runs] of byKernel) {
    const boots = Math.max(runs.length, ...runs.map((b) => b.r.matrix?.boots ?? 1), ...runs.map((b) => b.boot));
    const accelerators = [...new Set(runs.flatMap((b) => (b.r.env.accelerator ? [b.r.env.accelerator] : [])))];
    kernels.push({ kernel, boots, reported: runs.length, accelerators });
    for (const scenario of scenarios) cells.push(cellOf(kernel, scenario, boots, runs));
  }
  return { boots: Math.max(0, ...kernels.map((k) => k.boots)), kernels, scenarios, cells };
}

function cellOf(
  kernel: string,
  scenario: string,
  boots: number,
  runs: ReadonlyArray<{ r: RunReport; i: number; boot: number }>,
): VerdictCell {
  const perBoot: BootVerdict[] = [];
  for (let boot = 1; boot <= boots; boot++) {
    const b = runs.find((x) => x.boot === boot);
    if (!b) {
      perBoot.push({ boot, status: 'MISSING', reason: 'no report of this boot', evidence: [], console: [] });
      continue;
    }
    perBoot.push(bootOf(b.r, b.i, boot, scenario));
  }
  const statuses = perBoot.map((b) => b.status);
  const caught = perBoot.filter((b) => caughtStatus(b.status));
  const med = median(caught.flatMap((b) => (b.seconds === undefined ? [] : [b.seconds])));
  const label = (caught.find((b) => b.label) ?? perBoot.find((b) => b.label))?.label;
  return {
    kernel,
    scenario,
    status: worstStatus(statuses),
    boots,
    ran: perBoot.filter((b) => b.status !== 'MISSING').length,
    caught: caught.length,
    ...(med !== undefined ? { medianSeconds: med } : {}),
    ...(label ? { label } : {}),
    perBoot,
  };
}

function bootOf(r: RunReport, run: number, boot: number, scenario: string): BootVerdict {
  const console = r.results.filter((x) => x.name === 'vm-console').flatMap((x) => x.evidence.map((e) => e.got));
  const x = r.results.find((y) => y.name === scenario);
  if (!x) {
    // The host adds its checks only when something is wrong: a boot without one was clean there.
    if (HOST_CHECKS.has(scenario)) return { boot, run, status: 'PASS', evidence: [], console };
    return { boot, run, status: 'MISSING', reason: 'this boot has no such result', evidence: [], console };
  }
  const seconds = caughtStatus(x.status) ? secondsToFailure(x) : undefined;
  const label = cellLabel(x);
  const evidence = x.evidence.flatMap((e) => [
    evidenceSummary(e),
    ...evidenceDetail(e, undefined).map((d) => `  ${d}`),
  ]);
  return {
    boot,
    run,
    status: x.status,
    ...(seconds !== undefined ? { seconds } : {}),
    durationMs: x.durationMs,
    ...(x.reason !== undefined ? { reason: x.reason } : {}),
    ...(label ? { label } : {}),
    evidence,
    console,
  };
}

export function cellAt(v: MatrixVerdicts, k: number, s: number): VerdictCell {
  return v.cells[k * v.scenarios.length + s]!;
}

/** "1/2" when a kernel booted more than once, else "" (one boot says no more than its status). */
export function caughtText(c: VerdictCell): string {
  return c.boots > 1 ? `${c.caught}/${c.boots}` : '';
}

/** "2.78 s" with three significant figures at most. */
export function secondsLabel(s: number): string {
  return `${s < 10 ? s.toFixed(2) : s < 100 ? s.toFixed(1) : Math.round(s)} s`;
}

/** Short status words for narrow tables. */
export const SHORT: Record<CellStatus, string> = {
  PASS: 'PASS',
  FAIL: 'FAIL',
  UNRESOLVED: 'UNRES',
  UNSUPPORTED: 'SKIP',
  TIMEOUT: 'TIMEOUT',
  XFAIL: 'XFAIL',
  XPASS: 'XPASS',
  MISSING: '-',
};

/** "known bug CVE-2026-74605, fix f0ece16ffca7 (...)": a label on one line. */
export function labelText(l: KnownBugLabel): string {
  return `known bug ${l.id}${l.fix ? `, fix ${l.fix}` : ''}`;
}

/** A cell's lines in words (KTAP diagnostics, JUnit text, markdown details): k/N, the median, the label, each boot. */
export function cellLines(c: VerdictCell): string[] {
  const out = [
    `caught ${c.caught}/${c.boots}${c.ran < c.boots ? ` (${c.ran} of ${c.boots} boots have this result)` : ''}`,
  ];
  if (c.medianSeconds !== undefined) out.push(`median ${secondsLabel(c.medianSeconds)} of racing to the first failure`);
  if (c.label) out.push(`${labelText(c.label)}: ${c.label.why}`);
  for (const b of c.perBoot) out.push(bootLine(b));
  return out;
}

/** "boot 2: XFAIL, first failure after 2.78 s (3.56 s)" */
export function bootLine(b: BootVerdict): string {
  const parts = [`boot ${b.boot}: ${b.status}`];
  if (b.seconds !== undefined) parts.push(`first failure after ${secondsLabel(b.seconds)}`);
  if (b.reason) parts.push(b.reason);
  return parts.join(', ') + (b.durationMs ? ` (${secondsLabel(b.durationMs / 1000)})` : '');
}

/** The boots of each kernel: more than one anywhere makes the aggregate forms worth printing. */
export const severalBoots = (reports: readonly RunReport[]): boolean => matrixVerdicts(reports).boots > 1;
