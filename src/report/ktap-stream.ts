// SPDX-License-Identifier: GPL-2.0-only
// KTAP written as the run goes (`--format ktap`): the version and plan first,
// each result with its diagnostics as soon as it completes, the totals last.
// Every write is one synchronous write(2) loop on the fd, so what was reported
// before a SIGKILL, a panic or a hang is already out: kernel CI reading a
// serial console gets a valid prefix instead of nothing.
import fs from 'node:fs';
import type { RunEnvironment, RunReport, ScenarioResult } from './types.js';
import { diag, headerLines, resultDiagnostics, resultLine, trailerLines } from './ktap.js';

export type KtapSink = (text: string) => void;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes text to fd in full before returning. A pipe libuv made non-blocking
 * answers EAGAIN when full: wait a millisecond and go on (the reader is slow,
 * not gone). Any other error (EPIPE, ENOSPC, EFBIG) goes to onError once and
 * later text is dropped, so a lost reader never stops the run; without
 * onError it is thrown.
 */
export function fdSink(fd: number, onError?: (code: string) => void): KtapSink {
  let failed = false;
  return (text) => {
    if (failed) return;
    const buf = Buffer.from(text);
    for (let off = 0; off < buf.length;) {
      try {
        off += fs.writeSync(fd, buf, off, buf.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(pause, 0, 0, 1);
          continue;
        }
        if (!onError) throw e;
        failed = true;
        onError(code ?? (e as Error).message);
        return;
      }
    }
  };
}

/** One KTAP document, streamed; indent (two spaces per level) nests it as a subtest. */
export class KtapStream {
  private readonly printed: ScenarioResult[] = [];
  private readonly names = new Set<string>();
  private readonly notesShown = new Set<string>();
  private plan: number | undefined;

  constructor(
    private readonly sink: KtapSink,
    private readonly indent = '',
  ) {}

  private put(lines: readonly string[]): void {
    if (lines.length) this.sink(lines.map((l) => this.indent + l).join('\n') + '\n');
  }

  /** Version, plan (undefined: not known before the run, and omitted), and where it runs. */
  begin(plan: number | undefined, tool: RunReport['tool'], env: RunEnvironment, notes: readonly string[] = []): void {
    this.plan = plan;
    this.put(headerLines(plan, tool, env, notes));
  }

  /** How many results are out. */
  get count(): number {
    return this.printed.length;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /**
   * A result, its diagnostics first, numbered in the order results arrive.
   * Run-wide health notes are not known until the end, so each note is shown
   * once, with the first result that has it, instead of on every result.
   */
  result(r: ScenarioResult, shared: readonly string[] = []): void {
    this.printed.push(r);
    this.names.add(r.name);
    this.put([...resultDiagnostics(r, [...shared, ...this.notesShown]), resultLine(r, this.printed.length)]);
    for (const n of r.health?.notes ?? []) this.notesShown.add(n);
  }

  /** A diagnostic line of this document (e.g. a note from the host). */
  note(text: string): void {
    this.put([diag(text)]);
  }

  /**
   * The end of a run: what it reported that was not streamed yet (variants it
   * never ran), then `not ok ... # ERROR not run: <whyNotRun, or why the
   * report says it stopped>` for each planned name still missing, then notes,
   * why it stopped and the totals.
   */
  finish(
    report: Pick<RunReport, 'results' | 'interrupted' | 'repeat'> & { env?: { notes?: string[] } },
    planned: readonly string[] = [],
    whyNotRun?: string,
  ): void {
    const byName = new Map(report.results.map((r) => [r.name, r]));
    const why = whyNotRun ?? report.interrupted ?? 'the run ended first';
    for (const name of planned) {
      if (this.has(name)) continue;
      this.result(byName.get(name) ?? notRunResult(name, why));
    }
    // Results outside the plan (none for a planned run): a plan-less document shows them all.
    if (this.plan === undefined) for (const r of report.results) if (!this.has(r.name)) this.result(r);
    for (const n of report.env?.notes ?? []) this.note(`note: ${n}`);
    this.put(trailerLines({ ...report, results: this.printed }));
  }
}

/** A planned variant the run never reached, for the plan's sake. */
export function notRunResult(name: string, why: string): ScenarioResult {
  const scenario = name.replace(/\[.*$/, '');
  return {
    name,
    scenario,
    kind: (/\[(\w+)\]/.exec(name)?.[1] ?? 'vm') as ScenarioResult['kind'],
    title: scenario,
    status: 'UNRESOLVED',
    reason: `not run: ${why.replace(/^not run: /, '')}`,
    evidence: [],
    checks: 0,
    durationMs: 0,
    references: [],
    notRun: 'interrupted',
  };
}
