// Benchmark: the race engine against a plain C reference (same op mix,
// threads and uprobe create/remove loop), a failing open from JS against
// fs.openSync, and the engine's peak RSS. Laid out like better-sqlite3's
// benchmark: a table of trials x drivers, each pair in a fresh child
// process; a failing driver prints ERROR and the rest go on.
//   npm run bench            (root, tracefs with uprobe_events)
//   BENCH_MS=5000 BENCH_REPEAT=3 BENCH_RSS_MS=30000 BENCH_RSS_MIX=mix|readers BENCH_THREADS=N BENCH_ONLY=race-mix
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const child = path.join(here, 'bench', 'child.mjs');

const trials = [
  { name: 'race-readers', drivers: ['c-ref', 'engine'], ratio: ['engine', 'c-ref'], target: 0.9 },
  { name: 'race-mix', drivers: ['c-ref', 'engine'], ratio: ['engine', 'c-ref'], target: 0.9 },
  { name: 'race-enable', drivers: ['c-ref', 'engine'], ratio: ['engine', 'c-ref'], target: 0.9 },
  { name: 'failing-open', drivers: ['fs.openSync', 'addon'], ratio: ['addon', 'fs.openSync'], target: 2 },
  { name: 'rss-30s', drivers: ['engine'] },
];

function compileRef() {
  const out = path.join(root, 'build', 'bench', 'race-ref');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  execFileSync(process.env.CC ?? 'cc', ['-O2', '-pthread', '-o', out, path.join(here, 'bench', 'race-ref.c')], { stdio: 'inherit' });
  return out;
}

function runPair(trial, driver, ref) {
  const r = spawnSync(process.execPath, [child, trial, driver, ref ?? ''], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error((r.stderr || r.stdout || `exit ${r.status ?? r.signal}`).trim().split('\n').slice(-3).join(' | '));
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

/** The run with the median ops/s (its cycles come with it). */
function median(list) {
  const rate = (r) => r.ops / r.elapsedNs;
  return [...list].sort((a, b) => rate(a) - rate(b))[Math.floor(list.length / 2)];
}

const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(12);

function main() {
  if (process.getuid?.() !== 0) console.log('note: not root; the race trials need root and tracefs');
  console.log(`tracefs-regress bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), kernel ${os.release()}, node ${process.version}`);
  console.log(`load average at start: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  let ref;
  try {
    ref = compileRef();
  } catch (e) {
    console.log(`ERROR compiling the C reference: ${e.message}`);
  }
  const only = process.env.BENCH_ONLY?.split(',');
  for (const t of trials) {
    if (only && !only.includes(t.name)) continue;
    console.log(`\n${t.name}`);
    // Drivers alternate within each repeat, so a burst of load from
    // elsewhere hits both; the median of the repeats is reported.
    const runs = Object.fromEntries(t.drivers.map((d) => [d, []]));
    const reps = t.name === 'rss-30s' ? 1 : REPEAT;
    for (let i = 0; i < reps; i++) {
      for (const d of t.drivers) {
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
      const r = median(ok);
      res[d] = r;
      const sec = r.elapsedNs / 1e9;
      const parts = [`${fmt(r.ops / sec)} ops/s`];
      if (r.cycles !== undefined) parts.push(`${fmt(r.cycles / sec)} cycles/s`);
      if (r.violations !== undefined) parts.push(`${r.violations} violations`);
      if (r.maxRssKb !== undefined) parts.push(`peak RSS ${(r.maxRssKb / 1024).toFixed(1)} MB`);
      const spread = ok.length > 1 ? `  (${ok.length} runs, ops/s ${ok.map((x) => Math.round(x.ops / (x.elapsedNs / 1e9))).join(' ')})` : '';
      console.log(`  ${d.padEnd(12)} ${parts.join('  ')}${spread}`);
      for (const bad of runs[d].filter((x) => x.error)) console.log(`  ${d.padEnd(12)} ERROR ${bad.error}`);
    }
    if (t.ratio && res[t.ratio[0]] && res[t.ratio[1]]) {
      const [a, b] = t.ratio.map((d) => res[d]);
      const rate = (r, k) => r[k] / (r.elapsedNs / 1e9);
      const line = [`ops/s ${(rate(a, 'ops') / rate(b, 'ops')).toFixed(2)}x`];
      if (a.cycles !== undefined) line.push(`cycles/s ${(rate(a, 'cycles') / rate(b, 'cycles')).toFixed(2)}x`);
      console.log(`  ratio ${t.ratio[0]}/${t.ratio[1]}: ${line.join(', ')} (target >= ${t.target}x)`);
    }
    if (t.name === 'rss-30s' && res.engine) console.log(`  peak RSS ${(res.engine.maxRssKb / 1024).toFixed(1)} MB (target < 100 MB)`);
  }
  console.log(`\nload average at end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

main();
