// SPDX-License-Identifier: GPL-2.0-only
// A guest that never wrote its final report (its kernel oopsed with a lock
// held, it hung, or the host ended it) still sent its journal: the results
// that completed, and the scenario that was running. This builds the report
// from that.
import type { JournalRecord } from '../../report/journal.js';
import type { RunReport, ScenarioResult } from '../../report/types.js';

export interface PartialRun {
  /** Undefined when the guest never got as far as starting the run. */
  report?: RunReport;
  /** The scenario variant that had started and not finished, if any. */
  running?: string;
}

/**
 * Pure: records in journal order -> a report holding every completed result
 * (the last one per name wins, should a name repeat) and the name of the
 * variant that started last without a result. endedMs (epoch ms) is when the
 * guest ended, for the report's duration.
 */
export function partialRun(
  records: readonly JournalRecord[],
  o: { accelerator?: string; endedMs: number },
): PartialRun {
  const start = records.find((r) => r.type === 'start');
  const results = new Map<string, ScenarioResult>();
  let running: string | undefined;
  for (const r of records) {
    if (r.type === 'running') running = r.name;
    else if (r.type === 'result') {
      results.delete(r.result.name);
      results.set(r.result.name, r.result);
      if (running === r.result.name) running = undefined;
    }
  }
  if (!start) return { running };
  const startedMs = Date.parse(start.startedAt);
  const report: RunReport = {
    tool: start.tool,
    startedAt: start.startedAt,
    durationMs: Number.isFinite(startedMs) ? Math.max(0, o.endedMs - startedMs) : 0,
    env: { ...start.env, ...(start.env.accelerator || !o.accelerator ? {} : { accelerator: o.accelerator }) },
    results: [...results.values()],
    interrupted: running
      ? `the guest ended during ${running}; results up to it came from the run journal`
      : 'the guest ended before its final report; results came from the run journal',
  };
  return { report, running };
}
