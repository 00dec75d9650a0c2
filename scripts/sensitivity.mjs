#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// The sensitivity table (a measurement, not a test): how often one default-
// length run of the race scenarios catches a known race bug, and how soon.
// Kernels: Debian's 6.18 (the eventfs_iterate oops) and every race-only
// planted regression (test/mutants, `Race: yes`, built like the self-test
// does). Each kernel x TCG mode x vCPU count gets N boots, interleaved so that
// drifting host load hits every cell alike.
//   node scripts/sensitivity.mjs [--boots 3] [--modes multi,single] [--cpus 2,4]
//        [--kernels debian:6.18,<mutant>...] [--timeout 300] [--out DIR] [-- run args]
// Run args default to `--scenario race-*` (default probes, default duration).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const { values: opt } = parseArgs({
  args: dash >= 0 ? argv.slice(0, dash) : argv,
  options: {
    boots: { type: 'string', default: '3' },
    modes: { type: 'string', default: 'multi,single' },
    cpus: { type: 'string', default: '2,4' },
    kernels: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const usage =
  'usage: node scripts/sensitivity.mjs [--boots N] [--modes multi,single] [--cpus 2,4] [--kernels debian:6.18,MUTANT,...] [--timeout S] [--out DIR] [-- run args]\n';
if (opt.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const say = (m) => process.stderr.write(`sensitivity: ${m}\n`);
const die = (m) => {
  process.stderr.write(`sensitivity: ${m}\n${usage}`);
  process.exit(2);
};
const boots = Number(opt.boots);
if (!Number.isInteger(boots) || boots < 1 || boots > 100) die(`--boots ${opt.boots}: use a whole number from 1 to 100`);
const modes = opt.modes.split(',');
if (!modes.every((m) => m === 'single' || m === 'multi')) die(`--modes ${opt.modes}: use single, multi or both`);
const cpusList = opt.cpus.split(',').map(Number);
if (!cpusList.every((c) => Number.isInteger(c) && c >= 1 && c <= 64))
  die(`--cpus ${opt.cpus}: use whole numbers from 1 to 64`);
const runArgs = dash >= 0 ? argv.slice(dash + 1) : ['--scenario', 'race-*'];

await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, reject: false });
const { readMutants } = await import('../dist/kernel/patches.js');
const { buildKernel } = await import('../dist/kernel/build.js');
const { judgeTrial, renderSensitivity } = await import('../dist/bench/sensitivity.js');
const { CATALOGUE } = await import('../dist/scenarios/catalogue.js');
const { vmChild } = await import('../dist/vm/child.js');
const { interruptScope } = await import('../dist/util/interrupt.js');
const raceIds = new Set(CATALOGUE.filter((s) => s.race).map((s) => s.id));

// What each kernel is and what its bug looks like. Debian 6.18's oops is known
// by its function; on a mutant kernel (whose clean build passes every race)
// any race failure is the mutant.
const mutants = readMutants(path.join(root, 'test/mutants')).filter((m) => m.race);
const names = opt.kernels ? opt.kernels.split(',') : ['debian:6.18', ...mutants.map((m) => m.name)];
const kernels = [];
for (const name of names) {
  if (name.startsWith('debian:')) {
    kernels.push({
      name,
      spec: name,
      append: undefined,
      signature: name === 'debian:6.18' ? 'eventfs_iterate' : undefined,
    });
    continue;
  }
  const m = mutants.find((x) => x.name === name);
  if (!m)
    die(
      `unknown kernel '${name}': use debian:<series> or a race-only mutant (${mutants.map((x) => x.name).join(', ')})`,
    );
  say(`building ${m.name} (seeded from the clean build, as the self-test does)`);
  const b = await buildKernel({ name: m.name, patches: [m.file], log: (l) => say(`  ${l}`) });
  kernels.push({ name, spec: b.bzImage, append: m.cmdline, signature: undefined });
}

const out =
  opt.out ??
  path.join(os.homedir(), '.cache/tracefs-regress/sensitivity', new Date().toISOString().replace(/[:.]/g, '-'));
fs.mkdirSync(out, { recursive: true });
// Never disposed: a signal ends the running boot, then the table of the trials so far is written.
const stop = interruptScope({ signals: ['SIGINT', 'SIGTERM'] });

const trials = [];
for (let i = 1; i <= boots && !stop.received; i++) {
  for (const k of kernels) {
    for (const mode of modes) {
      for (const cpus of cpusList) {
        if (stop.received) break;
        const tag = `${k.name.replace(/[^a-z0-9.]+/gi, '_')}-${mode}-${cpus}cpu-${i}`;
        const report = path.join(out, `${tag}.json`);
        const load = os.loadavg()[0].toFixed(1);
        const r = await vmChild(
          {
            root,
            kernel: k.spec,
            append: k.append,
            timeout: opt.timeout,
            consoleLog: path.join(out, `${tag}.console.log`),
            vmArgs: ['--tcg', mode, '--cpus', String(cpus)],
            mode: { kind: 'run', args: runArgs, report },
          },
          { signal: stop.signal, vmLog: path.join(out, `${tag}.vm.log`) },
        );
        const json = r.report;
        const t = { kernel: k.name, mode, cpus, exitCode: r.exitCode, load, ...judgeTrial(json, raceIds, k.signature) };
        trials.push(t);
        say(
          `${tag}: ${t.caught ? `caught after ${t.secondsToFailure?.toFixed(1)} s (${t.quote})` : 'missed'}; exit ${r.exitCode}, load ${load}`,
        );
      }
    }
  }
}
const table = renderSensitivity(trials);
fs.writeFileSync(path.join(out, 'trials.json'), JSON.stringify(trials, null, 2) + '\n');
fs.writeFileSync(path.join(out, 'table.md'), table + '\n');
process.stdout.write(
  `\n${table}\n\nrun args: ${runArgs.join(' ')}; ${boots} boot(s) per cell; host ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; results in ${out}\n`,
);
