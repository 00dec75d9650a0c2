// SPDX-License-Identifier: GPL-2.0-only
// The explore loop's progress: one line per report, rewritten in place on a
// TTY and printed every few seconds on a pipe. Drawing is the CLI's
// ProgressLine (src/cli/progress.ts, log-update); explore sits below cli, so
// it takes the line sink as a parameter instead of importing it.
import type { ExploreStats } from './loop.js';

/** What draws a line: ProgressLine fits (update: live or throttled; print: permanent). */
export interface LineSink {
  update(line: string): void;
  print(line: string): void;
}

/** "1m05s", "12s", "1h02m". */
export function formatElapsed(ms: number): string {
  const t = Math.floor(ms / 1000);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${pad(m)}m`;
  if (m > 0) return `${m}m${pad(sec)}s`;
  return `${sec}s`;
}

/** One grep-able line with a fixed prefix: programs and rate, violations, corpus, edges (+new since the last line). */
export function formatProgress(s: ExploreStats): string {
  const rate = s.programsPerSec >= 10 ? s.programsPerSec.toFixed(0) : s.programsPerSec.toFixed(1);
  const parts = [
    `explore ${formatElapsed(s.elapsedMs)}:`,
    `${s.programs} programs (${rate}/s),`,
    `${s.violations} violation${s.violations === 1 ? '' : 's'} in ${s.violating} program${s.violating === 1 ? '' : 's'},`,
  ];
  if (s.guided) {
    const errors = s.traceErrors > 0 ? `, ${s.traceErrors} trace errors (${s.lastTraceError ?? '?'})` : '';
    const full = s.fullBuffers > 0 ? `, ${s.fullBuffers} full KCOV buffers` : '';
    parts.push(`corpus ${s.corpus}, edges ${s.edges} (+${s.newEdges})${errors}${full}`);
  } else parts.push('blind (no KCOV)');
  return parts.join(' ');
}

/** An ExploreOptions.onProgress that draws on `sink`: live lines, then the final one kept. */
export function progressReporter(sink: LineSink): (s: ExploreStats, final: boolean) => void {
  return (s, final) => (final ? sink.print(formatProgress(s)) : sink.update(formatProgress(s)));
}
