// SPDX-License-Identifier: GPL-2.0-only
// The sensitivity table (scripts/sensitivity.mjs): how often a default-length
// run of the race scenarios catches a known race bug, and how soon, per
// kernel x TCG mode x vCPU count. Pure, so what counts as "caught" is
// unit-tested without a VM.
import type { RunReport, ScenarioResult } from '../report/types.js';
import { median } from './stats.js';

/** One boot of the race scenarios. */
export interface Trial {
  kernel: string;
  mode: string;
  cpus: number;
  exitCode: number | undefined;
  caught: boolean;
  /** Seconds of racing before the first failure (start of the first race to the end of the failing result). */
  secondsToFailure?: number;
  /** Median create/remove cycles per second over the race results: the figure of merit. */
  cyclesPerSec?: number;
  /** What caught it, quoted: the failing result and its first evidence line. */
  quote?: string;
}

function text(r: ScenarioResult): string {
  return [r.reason ?? '', ...r.evidence.flatMap((e) => [e.got, e.detail ?? '']), ...(r.health?.kernelLines ?? [])].join(
    '\n',
  );
}

/**
 * Judge one boot. Caught: a race result (or the host's console result, when
 * the guest died before reporting) FAILed, and when a signature is given it
 * appears in that failure's text. A FAIL with another signature is not this
 * bug, and a boot that broke (no report) caught nothing.
 */
export function judgeTrial(
  report: RunReport | undefined,
  raceIds: ReadonlySet<string>,
  signature?: string,
): Pick<Trial, 'caught' | 'secondsToFailure' | 'cyclesPerSec' | 'quote'> {
  if (!report) return { caught: false };
  let t = 0;
  const rates: number[] = [];
  let hit: { r: ScenarioResult; at?: number } | undefined;
  for (const r of report.results) {
    const race = raceIds.has(r.scenario);
    if (race) {
      t += r.durationMs;
      if (r.race) rates.push(r.race.cyclesPerSec);
    }
    // XFAIL: a failure an --expect file foresaw is still this bug caught.
    const failed = r.status === 'FAIL' || r.status === 'XFAIL';
    if (hit || !failed || (!race && r.scenario !== 'vm-console')) continue;
    if (signature && !text(r).includes(signature)) continue;
    hit = { r, at: race ? t / 1000 : undefined };
  }
  const cyc = median(rates);
  if (!hit) return { caught: false, ...(cyc === undefined ? {} : { cyclesPerSec: cyc }) };
  const e = hit.r.evidence[0];
  return {
    caught: true,
    ...(hit.at === undefined ? { secondsToFailure: t / 1000 } : { secondsToFailure: hit.at }),
    ...(cyc === undefined ? {} : { cyclesPerSec: cyc }),
    quote: `${hit.r.name}: ${e ? `${e.got}`.split('\n')[0] : (hit.r.reason ?? '')}`,
  };
}

/** Markdown: one row per kernel x mode x vCPUs. */
export function renderSensitivity(trials: Trial[]): string {
  const keys: string[] = [];
  for (const x of trials) {
    const k = `${x.kernel}\u0000${x.mode}\u0000${x.cpus}`;
    if (!keys.includes(k)) keys.push(k);
  }
  const rows = keys.map((k) => {
    const [kernel, mode, cpus] = k.split('\u0000');
    const ts = trials.filter((x) => x.kernel === kernel && x.mode === mode && String(x.cpus) === cpus);
    const hits = ts.filter((x) => x.caught);
    const med = median(hits.flatMap((x) => (x.secondsToFailure === undefined ? [] : [x.secondsToFailure])));
    const cyc = median(ts.flatMap((x) => (x.cyclesPerSec === undefined ? [] : [x.cyclesPerSec])));
    return `| ${kernel} | ${mode} | ${cpus} | ${hits.length}/${ts.length} | ${med === undefined ? '-' : med.toFixed(1)} | ${cyc === undefined ? '-' : cyc.toFixed(0)} |`;
  });
  return [
    '| kernel | TCG | vCPUs | caught | median s of racing to first failure | median cycles/s |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
