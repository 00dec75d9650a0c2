// SPDX-License-Identifier: GPL-2.0-only
// `run --repeat N` / `--until-fail`: the pure part. Iterations (one RunReport
// each) -> a summary (how many passed, the first failure, the failure rate),
// whether to run another, and one merged RunReport every format renders as it
// renders a single run, each result named `<name>@<iteration>`.
import { EXIT } from '../errors.js';
import { exitCodeFor, type ReportExitCode } from './exit-code.js';
import { isFailing, summarize, type RepeatSummary, type RunReport, type Summary } from './types.js';

/** The most iterations --repeat accepts; also the cap of a bare --until-fail. */
export const MAX_REPEAT = 1_000_000;

/** What the user asked for: at most `count` iterations, stopping at the first failing one with untilFail. */
export interface RepeatPlan {
  count: number;
  untilFail: boolean;
}

/** One iteration as the runner returns it. */
export interface IterationRun {
  report: RunReport;
  /** The signal (SIGINT, SIGTERM) that cut this iteration short, if one did. */
  signal?: string;
}

/**
 * An iteration's verdict: exitCodeFor its report, except that a signal only
 * makes it failed when something that actually ran failed (a not-run variant
 * is no evidence about the kernel).
 */
function iterationCode(it: IterationRun): ReportExitCode | 'interrupted' {
  if (!it.signal) return exitCodeFor(it.report);
  const ran = it.report.results.filter((r) => !r.notRun);
  return ran.some((r) => isFailing(r.status)) ? EXIT.failed : 'interrupted';
}

/** The names of the variants that failed in one iteration (not the ones a signal or --bail kept from running). */
function failedNames(report: RunReport): string[] {
  return report.results.filter((r) => isFailing(r.status) && !r.notRun).map((r) => r.name);
}

/**
 * Iterations -> summary. `stoppedBy` is the signal that ended the loop, also
 * when it came between two iterations. An iteration a signal cut short counts
 * (as failed) only if a variant that ran in it failed; otherwise it is not
 * completed and stays out of the rate.
 */
export function summarizeRepeat(
  iterations: readonly IterationRun[],
  plan: RepeatPlan,
  stoppedBy?: string,
): RepeatSummary {
  const s: RepeatSummary = {
    planned: plan.count,
    untilFail: plan.untilFail,
    completed: 0,
    passed: 0,
    failed: 0,
    skipped: 0,
    failureRate: 0,
    iterations: [],
  };
  iterations.forEach((it, i) => {
    const iteration = i + 1;
    const code = iterationCode(it);
    const totals: Summary = summarize(it.report.results);
    s.iterations.push({ iteration, status: code === 'interrupted' ? 'interrupted' : statusOf(code), totals });
    // Cut short, or stopped by the tool's own failure (exit 2): no evidence about the kernel, out of the rate.
    if (code === 'interrupted' || code === EXIT.usage) return;
    s.completed++;
    if (code === EXIT.failed) {
      s.failed++;
      s.firstFailure ??= { iteration, names: failedNames(it.report) };
    } else if (code === EXIT.ok) s.passed++;
    else s.skipped++;
  });
  s.failureRate = s.completed ? s.failed / s.completed : 0;
  if (stoppedBy) {
    const last = iterations.at(-1);
    s.interrupted = { by: stoppedBy, iteration: last?.signal ? iterations.length : iterations.length + 1 };
  }
  return s;
}

function statusOf(code: ReportExitCode): 'passed' | 'failed' | 'skipped' | 'error' {
  if (code === EXIT.usage) return 'error';
  return code === EXIT.ok ? 'passed' : code === EXIT.failed ? 'failed' : 'skipped';
}

/**
 * Whether to start another iteration: not after a signal, the cap, the tool's
 * own failure (out of fds or memory: the next iteration would meet it again),
 * or (--until-fail, --bail) a failing one.
 */
export function wantsAnother(iterations: readonly IterationRun[], plan: RepeatPlan, bail = false): boolean {
  const last = iterations.at(-1);
  if (!last) return plan.count > 0;
  if (last.signal || iterations.length >= plan.count) return false;
  if (iterationCode(last) === EXIT.usage) return false;
  if ((plan.untilFail || bail) && iterationCode(last) === EXIT.failed) return false;
  return true;
}

/** "12.5%", "30%", "0%". */
export function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(1))}%`;
}

/**
 * "repeat: 7/10 iterations passed; first failure at iteration 8
 * (removed-files-enoent[uprobe]); failure rate 30%", plus why it stopped when
 * it stopped before the cap.
 */
export function repeatLine(s: RepeatSummary): string {
  let line = `repeat: ${s.passed}/${s.completed} iterations passed`;
  if (s.skipped) line += ` (${s.skipped} ran nothing: all skipped)`;
  line += s.firstFailure
    ? `; first failure at iteration ${s.firstFailure.iteration} (${s.firstFailure.names.join(', ')})`
    : '; no failure';
  line += `; failure rate ${percent(s.failureRate)}`;
  const error = s.iterations.find((it) => it.status === 'error');
  if (error)
    line += `; stopped at iteration ${error.iteration}: the tool's own failure (its ERROR says the fix), not the kernel's`;
  if (s.interrupted) {
    const where = s.iterations[s.interrupted.iteration - 1] ? 'in' : 'before';
    line += `; interrupted by ${s.interrupted.by} ${where} iteration ${s.interrupted.iteration}, ${s.completed} of ${s.planned} completed`;
  } else if (s.untilFail && s.firstFailure) {
    line += `; stopped at the first failure (--until-fail)`;
  } else if (s.untilFail) {
    line += `; no failure within the cap of ${s.planned}`;
  }
  return line;
}

/** "iteration 3/10: 2 passed, 0 failed, 0 skipped" is built by the pretty reporter from this. */
export function iterationLabel(iteration: number, s: Pick<RepeatSummary, 'planned' | 'untilFail'>): string {
  return s.untilFail && s.planned === MAX_REPEAT ? `iteration ${iteration}` : `iteration ${iteration}/${s.planned}`;
}

/** A result's name in a repeated run: the iteration after '@' (KTAP reserves '#'). */
export function iterationName(name: string, iteration: number): string {
  return `${name}@${iteration}`;
}

/**
 * One RunReport holding every iteration's results, renamed `<name>@<i>` with
 * `iteration` set, and the summary as `repeat`. Its exit code (exitCodeFor) is
 * the worst iteration's: any failing result fails it, and it is 4 only when no
 * iteration ran anything.
 */
export function mergeIterations(iterations: readonly IterationRun[], plan: RepeatPlan, stoppedBy?: string): RunReport {
  const first = iterations[0];
  if (!first) throw new RangeError('mergeIterations: no iteration ran');
  const last = iterations.at(-1)!;
  const repeat = summarizeRepeat(iterations, plan, stoppedBy);
  const notes = [...new Set(iterations.flatMap((it) => it.report.env.notes ?? []))];
  const env = { ...first.report.env };
  if (notes.length) env.notes = notes;
  else delete env.notes;
  const results = iterations.flatMap((it, i) =>
    it.report.results.map((r) => ({ ...r, name: iterationName(r.name, i + 1), iteration: i + 1 })),
  );
  // --bail (or a signal) inside an iteration: say which one.
  const cut = iterations.findIndex((it) => it.report.interrupted !== undefined);
  const interrupted = cut >= 0 ? `iteration ${cut + 1}: ${iterations[cut]!.report.interrupted}` : undefined;
  const end = Date.parse(last.report.startedAt) + last.report.durationMs;
  return {
    tool: first.report.tool,
    startedAt: first.report.startedAt,
    durationMs: Math.max(0, end - Date.parse(first.report.startedAt)),
    env,
    results,
    ...(interrupted ? { interrupted } : stoppedBy ? { interrupted: `${stoppedBy} between iterations` } : {}),
    repeat,
  };
}
