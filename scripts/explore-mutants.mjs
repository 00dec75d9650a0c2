#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// The explorer's time-to-catch table (a measurement, not a test): for every
// planted regression (test/mutants, built like the self-test builds them),
// `explore` with its defaults and a fixed seed list, each seed with the budget
// of guest exploring time, until one seed catches it; the reproducer it
// shrinks is verified in a fresh guest of the mutant and on the clean kernel.
// The explorer knows no scenario: it is given a kernel, a seed and a budget.
//   node scripts/explore-mutants.mjs [--budget 10m] [--seeds 1,2,3] [--only 01,05] [--out DIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    budget: { type: 'string', default: '10m' },
    seeds: { type: 'string', default: '1,2,3' },
    only: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const usage = 'usage: node scripts/explore-mutants.mjs [--budget 10m] [--seeds 1,2,3] [--only 01,05] [--out DIR]\n';
if (opt.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const say = (m) => process.stderr.write(`explore-mutants: ${m}\n`);
const seeds = opt.seeds.split(',').map((s) => s.trim());
if (!seeds.every((s) => /^\d+$/.test(s))) {
  process.stderr.write(`explore-mutants: --seeds ${opt.seeds}: whole numbers, comma-separated\n${usage}`);
  process.exit(2);
}

await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, reject: false });
const { readMutants } = await import('../dist/kernel/patches.js');
const { buildKernel } = await import('../dist/kernel/build.js');
const { interruptScope } = await import('../dist/util/interrupt.js');

const only = opt.only?.split(',');
const mutants = readMutants(path.join(root, 'test/mutants')).filter(
  (m) => !only || only.some((o) => path.basename(m.file).startsWith(o) || m.name === o),
);
const out =
  opt.out ??
  path.join(os.homedir(), '.cache/tracefs-regress/explore-mutants', new Date().toISOString().replace(/[:.]/g, '-'));
fs.mkdirSync(out, { recursive: true });
const stop = interruptScope({ signals: ['SIGINT', 'SIGTERM'] });

say('building the clean kernel and each mutant (seeded from the clean build, as the self-test does)');
const clean = await buildKernel({ name: 'clean', log: (l) => say(`  ${l}`) });
const rows = [];
for (const m of mutants) {
  if (stop.received) break;
  const b = await buildKernel({ name: m.name, patches: [m.file], log: (l) => say(`  ${l}`) });
  let row = { mutant: path.basename(m.file, '.patch'), caught: false, tried: [] };
  for (const seed of seeds) {
    if (stop.received) break;
    const dir = path.join(out, `${row.mutant}-seed${seed}`);
    const load = os.loadavg()[0].toFixed(1);
    const t0 = Date.now();
    say(`${row.mutant}: seed ${seed}, budget ${opt.budget} (load ${load})`);
    const r = await execa(
      process.execPath,
      [
        path.join(root, 'bin/tracefs-regress.js'),
        'explore',
        '--kernel',
        b.bzImage,
        '--clean-kernel',
        clean.bzImage,
        '--seed',
        seed,
        '--duration',
        opt.budget,
        '--out',
        dir,
        ...(m.cmdline ? ['--append', m.cmdline] : []),
      ],
      { cwd: root, reject: false, stdout: 'inherit', stderr: 'inherit', cancelSignal: stop.signal },
    );
    let summary;
    try {
      summary = JSON.parse(fs.readFileSync(path.join(dir, 'explore.json'), 'utf8'));
    } catch {
      summary = undefined;
    }
    row.tried.push({ seed, exit: r.exitCode, wallS: Math.round((Date.now() - t0) / 1000), load });
    if (r.exitCode === 1 && summary?.findings?.length) {
      const f = summary.findings[0];
      const v = summary.verified?.[0];
      row = {
        ...row,
        caught: true,
        seed,
        result: summary.result,
        guestS: Math.round(f.ms / 100) / 10,
        programs: f.n,
        what: f.what,
        actions: f.actions,
        shrunk: f.shrunk,
        own: v?.own ?? 'not verified',
        clean: v?.clean ?? 'not run',
      };
      break;
    }
  }
  rows.push(row);
  say(`${row.mutant}: ${row.caught ? `caught in ${row.guestS} s of exploring (seed ${row.seed})` : 'NOT caught'}`);
}

const table = [
  '| mutant | caught | seed | exploring time to catch | program # | actions (shrunk) | reproducer on the mutant | on clean | what |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) =>
    r.caught
      ? `| ${r.mutant} | yes | ${r.seed} | ${r.guestS} s | ${r.programs} | ${r.actions}${r.shrunk !== undefined ? ` (${r.shrunk})` : ''} | ${r.own} | ${r.clean} | ${String(r.what).replace(/\|/g, '\\|').slice(0, 160)} |`
      : `| ${r.mutant} | no | ${r.tried.map((t) => t.seed).join(', ')} | > ${opt.budget} each | | | | | |`,
  ),
].join('\n');
fs.writeFileSync(path.join(out, 'table.md'), `${table}\n`);
fs.writeFileSync(path.join(out, 'rows.json'), JSON.stringify(rows, null, 2));
process.stdout.write(`${table}\n`);
say(`results in ${out}`);
stop.dispose();
process.exit(rows.every((r) => r.caught) ? 0 : 1);
