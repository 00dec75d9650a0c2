#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// Benchmark of the VM runner (not a timed test): repeated boots of one kernel
// running the full suite, alternating TCG modes so that host load drifts hit
// both alike. Per boot: exit code, boot-to-guest-command, boot-to-first-result,
// total wall time, host load, and any panic/Oops/BUG line on the console.
//   node scripts/bench-vm.mjs [--kernel debian:6.12] [--boots 4] [--modes single,multi] [-- run args]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { vmChild } from '../dist/vm/child.js';

// Strict: an unknown or misspelt option is an error, not a silent default;
// everything after `--` goes to `run` in the guest.
const { values: opt, positionals: runArgs } = parseArgs({
  allowPositionals: true,
  options: {
    kernel: { type: 'string', default: 'debian:6.12' },
    boots: { type: 'string', default: '4' },
    modes: { type: 'string', default: 'single,multi' },
  },
});
const kernel = opt.kernel;
const boots = Number(opt.boots);
if (!Number.isInteger(boots) || boots < 1) {
  process.stderr.write(`--boots ${opt.boots}: use a whole number of at least 1\n`);
  process.exit(2);
}
const modes = opt.modes.split(',');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const work = fs.mkdtempSync(path.join(os.homedir(), '.cache', 'tracefs-regress-bench-'));

const rows = [];
for (let i = 0; i < boots; i++) {
  for (const mode of modes) {
    const report = path.join(work, `${mode}-${i}.json`);
    const log = path.join(work, `${mode}-${i}.log`);
    const load = os.loadavg()[0].toFixed(2);
    const t0 = Date.now();
    const r = await vmChild({
      root,
      kernel,
      consoleLog: log,
      vmArgs: ['--tcg', mode],
      mode: { kind: 'run', args: runArgs, report },
    });
    const wall = (Date.now() - t0) / 1000;
    const m = /started ([\d.]+) s, first result ([\d.]+|n\/a)(?: s)?, total ([\d.]+) s/.exec(r.stderr) ?? [];
    const consoleLines = fs.existsSync(log)
      ? fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => /Oops|BUG:|KASAN|Kernel panic|general protection/.test(l))
      : [];
    let counts = 'no report';
    if (r.report) {
      const by = {};
      for (const x of r.report.results) by[x.status] = (by[x.status] ?? 0) + 1;
      counts = Object.entries(by)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
    }
    const row = {
      mode,
      boot: i + 1,
      exit: r.exitCode,
      guestStart: m[1],
      firstResult: m[2],
      total: m[3],
      wall,
      load,
      counts,
      oops: consoleLines.length,
      consoleLines,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
console.log('\nmode    boots  oopses  guest-start  first-result  total (median s)');
const med = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
for (const mode of modes) {
  const r = rows.filter((x) => x.mode === mode);
  console.log(
    `${mode.padEnd(8)}${String(r.length).padEnd(7)}${String(r.filter((x) => x.oops).length).padEnd(8)}` +
      `${med(r.map((x) => Number(x.guestStart)))
        .toString()
        .padEnd(13)}${med(r.map((x) => Number(x.firstResult)))
        .toString()
        .padEnd(14)}${med(r.map((x) => Number(x.total)))}`,
  );
}
console.log(`logs and reports: ${work}`);
