// SPDX-License-Identifier: GPL-2.0-only
// Torture-test style text for a race: one grep-able progress line, and a
// summary whose last line is the verdict.
import { OP_KINDS, type RaceProgress, type RaceStats } from './types.js';

const n = (x: number) => Math.round(x).toLocaleString('en-US');

export function progressLine(label: string, p: RaceProgress): string {
  // Cycles/s first: a race's strength is its removals, not its ops.
  return `race ${label}: ${(p.elapsedMs / 1000).toFixed(1)}s ${n(p.cyclesPerSec)} cycles/s (${n(p.cycles)}), ${n(p.opsPerSec)} ops/s, ${p.violations} violations`;
}

export function summaryLines(label: string, s: RaceStats): string[] {
  const lines = [
    `race ${label}: ${s.threads} threads (${s.racers} racing every write), ` +
      `controller nice ${s.controllerNice}${s.controllerBoostError ? ` (${s.controllerBoostError})` : ''}, ` +
      `${(s.elapsedMs / 1000).toFixed(2)} s, stop: ${s.stopReason}${s.error ? ` (${s.error})` : ''}`,
    `race ${label}: ${n(s.cyclesPerSec)} cycles/s (${n(s.cycles)} cycles), ${n(s.opsPerSec)} ops/s, ` +
      `step-asides ${n(s.stepAsides)}, busy retries ${n(s.busyRetries)}, drop_caches ${n(s.dropCaches)}`,
    `race ${label}: create p50/p90/p99/max ${lat(s.createLatency)} us; remove ${lat(s.removeLatency)} us`,
  ];
  for (const k of OP_KINDS) {
    const o = s.ops[k];
    if (!o.count) continue;
    const hist = (['present', 'absent', 'transition'] as const)
      .map(
        (c) =>
          `${c} ${
            Object.entries(o.errnos[c])
              .map(([e, v]) => `${e}=${v}`)
              .join(',') || '-'
          }`,
      )
      .join('; ');
    lines.push(`race ${label}: ${k} ${n(o.perSec)}/s [${hist}]`);
  }
  for (const v of s.violations.slice(0, 10))
    lines.push(
      `race ${label}: VIOLATION ${v.rule}: ${v.op} ${v.path} expected ${v.expected}, got ${v.got} ` +
        `(thread ${v.thread}, gen ${v.generationBefore}->${v.generationAfter}, ${v.phaseBefore}->${v.phaseAfter})`,
    );
  const r = s.resourceError;
  if (r)
    lines.push(
      `race ${label}: stopped on a resource error: ${r.code} (` +
        (r.op === 'thread' ? `creating threads, ${r.path} workers started` : `${r.op}${r.path ? ` ${r.path}` : ''}`) +
        `; ${r.stops} thread(s))`,
    );
  // The tool's failure with nothing judged wrong: ERROR, as rcutorture says of a test that could not run.
  const verdict = s.violationCount > 0 ? 'FAILURE' : r ? 'ERROR' : s.error ? 'FAILURE' : 'SUCCESS';
  lines.push(`race ${label}: End of test: ${verdict} (${s.violationCount} violations)`);
  return lines;
}

function lat(l: RaceStats['createLatency']): string {
  return [l.p50Us, l.p90Us, l.p99Us, l.maxUs].map((x) => x.toFixed(1)).join('/');
}
