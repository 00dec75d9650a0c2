// SPDX-License-Identifier: GPL-2.0-only
// Benchmark: the race engine against a plain C reference (same op mix,
// threads and uprobe create/remove loop), a failing open from JS against
// fs.openSync, and the engine's peak RSS. Laid out like better-sqlite3's
// benchmark: a table of trials x drivers, each pair in a fresh child
// process; a failing driver prints ERROR and the rest go on.
//   npm run bench            (root, tracefs with uprobe_events)
//   BENCH_MS=5000 BENCH_REPEAT=N BENCH_RSS_MS=30000 BENCH_RSS_MIX=mix|readers BENCH_THREADS=N BENCH_ONLY=race-mix
//   One run by hand: node scripts/bench/child.mjs TRIAL DRIVER build/bench/race-ref (BENCH_TICK_MS=500 for per-interval rates)
// Rates are pooled over the runs and each ratio comes with a bootstrap 90%
// interval (src/bench/stats.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// Built by `npm install` (prepare); src/bench/stats.ts has the arithmetic.
import { compare, pool, rate } from '../dist/bench/stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const child = path.join(here, 'bench', 'child.mjs');

// repeat: runs per driver. race-enable is bound by RCU grace periods in
// the kernel, not by either program's work, so it needs the most runs.
const trials = [
  { name: 'race-readers', drivers: ['c-ref', 'engine'], ratio: ['engine', 'c-ref'], target: 0.9, repeat: 5 },
  { name: 'race-mix', drivers: ['c-ref', 'engine'], ratio: ['engine', 'c-ref'], target: 0.9, repeat: 5 },
  { name: 'race-enable', drivers: ['c-ref', 'engine'], ratio: ['engine', 'c-ref'], target: 0.9, repeat: 16 },
  {
    name: 'failing-open',
    drivers: ['c', 'fs.openSync', 'addon'],
    ratio: ['addon', 'fs.openSync'],
    target: 2,
    repeat: 5,
  },
  { name: 'rss-30s', drivers: ['engine'], repeat: 1 },
];

/** Compiles the C references (race-ref, open-ref) into build/bench/; returns race-ref's path. */
function compileRef() {
  const dir = path.join(root, 'build', 'bench');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['race-ref', 'open-ref'])
    execFileSync(
      process.env.CC ?? 'cc',
      ['-O2', '-pthread', '-o', path.join(dir, name), path.join(here, 'bench', `${name}.c`)],
      { stdio: 'inherit' },
    );
  return path.join(dir, 'race-ref');
}

function runPair(trial, driver, ref) {
  const r = spawnSync(process.execPath, [child, trial, driver, ref ?? ''], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0)
    throw new Error((r.stderr || r.stdout || `exit ${r.status ?? r.signal}`).trim().split('\n').slice(-3).join(' | '));
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const REPEAT = process.env.BENCH_REPEAT ? Number(process.env.BENCH_REPEAT) : undefined;

const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(12);

function main() {
  if (process.getuid?.() !== 0) console.log('note: not root; the race trials need root and tracefs');
  console.log(
    `tracefs-regress bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), kernel ${os.release()}, node ${process.version}`,
  );
  console.log(
    `load average at start: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  let ref;
  try {
    ref = compileRef();
  } catch (e) {
    console.log(`ERROR compiling the C reference: ${e.message}`);
  }
  const only = process.env.BENCH_ONLY?.split(',');
  const verdicts = [];
  for (const t of trials) {
    if (only && !only.includes(t.name)) continue;
    console.log(`\n${t.name}`);
    // Drivers alternate within each repeat, and which goes first alternates
    // too, so a burst of load from elsewhere hits both alike.
    const runs = Object.fromEntries(t.drivers.map((d) => [d, []]));
    const reps = t.name === 'rss-30s' ? 1 : (REPEAT ?? t.repeat);
    for (let i = 0; i < reps; i++) {
      for (const d of i % 2 ? [...t.drivers].reverse() : t.drivers) {
        try {
          runs[d].push(runPair(t.name, d, ref));
        } catch (e) {
          runs[d].push({ error: e.message });
        }
      }
    }
    const res = {};
    for (const d of t.drivers) {
      const ok = runs[d].filter((r) => !r.error);
      if (!ok.length) {
        console.log(`  ${d.padEnd(12)} ERROR ${runs[d][0].error}`);
        continue;
      }
      const r = pool(ok);
      res[d] = ok;
      const parts = [`${fmt(rate(r, 'ops'))} ops/s`];
      if (r.cycles !== undefined) parts.push(`${fmt(rate(r, 'cycles'))} cycles/s`);
      // CPU time per op: the programs' own cost, whatever the kernel's waits.
      if (r.cpuNs !== undefined) parts.push(`${(r.cpuNs / r.ops / 1000).toFixed(2)} CPU-us/op`);
      if (r.violations !== undefined) parts.push(`${r.violations} violations`);
      if (r.maxRssKb !== undefined) parts.push(`peak RSS ${(r.maxRssKb / 1024).toFixed(1)} MB`);
      const spread =
        ok.length > 1 ? `  (${ok.length} runs, ops/s ${ok.map((x) => Math.round(rate(x, 'ops'))).join(' ')})` : '';
      console.log(`  ${d.padEnd(12)} ${parts.join('  ')}${spread}`);
      for (const bad of runs[d].filter((x) => x.error)) console.log(`  ${d.padEnd(12)} ERROR ${bad.error}`);
    }
    if (t.ratio && res[t.ratio[0]] && res[t.ratio[1]]) {
      const v = compare(res[t.ratio[0]], res[t.ratio[1]], t.target);
      const line = v.map(
        (x) =>
          `${x.key}/s ${x.ratio.toFixed(2)}x${x.interval ? ` [90% ${x.interval[0].toFixed(2)}-${x.interval[1].toFixed(2)}]` : ''}`,
      );
      const met = v.every((x) => x.met);
      const unsure = v.some((x) => !x.decided)
        ? '; an interval spans the target, more runs (BENCH_REPEAT) would tell'
        : '';
      console.log(
        `  ratio ${t.ratio[0]}/${t.ratio[1]}: ${line.join(', ')} (target >= ${t.target}x): ${met ? 'met' : 'NOT met'}${unsure}`,
      );
      verdicts.push([t.name, met]);
    }
    if (t.name === 'rss-30s' && res.engine) {
      const mb = pool(res.engine).maxRssKb / 1024;
      console.log(`  peak RSS ${mb.toFixed(1)} MB (target < 100 MB): ${mb < 100 ? 'met' : 'NOT met'}`);
      verdicts.push([t.name, mb < 100]);
    }
  }
  const missed = verdicts.filter(([, ok]) => !ok).map(([n]) => n);
  console.log(
    `\ntargets met: ${verdicts.length - missed.length} of ${verdicts.length}${missed.length ? ` (not met: ${missed.join(', ')})` : ''}`,
  );
  console.log(
    `load average at end: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

main();
