#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// npm run coverage [-- --kernel BZIMAGE] [--out DIR] [--suites default,all,ftracetest[,boot]]:
// the three suites of docs/coverage.md on one `kernel build --coverage`
// kernel, one `vm --coverage` each, then the table (lines and branches of the
// six files) and the functions of event_inode.c and inode.c no suite enters.
// Runs dist/ (compiled first): the guest runs it too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => process.stderr.write(`coverage: ${m}\n`);
const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
const { values: o } = parseArgs({
  options: {
    kernel: { type: 'string', default: path.join(cache, 'tracefs-regress/build/tiny-coverage/bzImage') },
    out: { type: 'string', default: path.join(os.tmpdir(), `tracefs-regress-coverage-${Date.now()}`) },
    suites: { type: 'string', default: 'default,all,ftracetest' },
    timeout: { type: 'string', default: '60m' },
    'no-build': { type: 'boolean', default: false },
  },
});

if (!o['no-build']) {
  say('compiling dist/ (tsc -p tsconfig.build.json)');
  await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, reject: false });
}
const { parseTracefile } = await import(path.join(root, 'dist/coverage/tracefile.js'));
const { compareTable, unreachedByAll } = await import(path.join(root, 'dist/coverage/compare.js'));
const { ftraceDir, DEFAULT_SETS } = await import(path.join(root, 'dist/kernel/ftracetest.js'));

const kernel = path.resolve(o.kernel);
if (!fs.existsSync(kernel)) {
  say(`no ${kernel}: build it with \`tracefs-regress kernel build --coverage\` or pass --kernel`);
  process.exit(2);
}
const meta = JSON.parse(fs.readFileSync(path.join(path.dirname(kernel), 'meta.json'), 'utf8'));
const cli = path.join(root, 'bin/tracefs-regress.js');
// ftracetest as `test:mutants` runs it (src/kernel/ftracetest.ts): its dirs, in a
// mount namespace without the results share (its path contains "tracefs").
const ftraceScript = `umount "$TRACEFS_REGRESS_SHARE" && exec ./ftracetest -l /tmp/ftracetest-logs ${DEFAULT_SETS.map((s) => `test.d/${s}`).join(' ')}`;
const SUITES = {
  // Not in the default set: what booting alone reaches (no suite resets gcov, so every column includes it).
  boot: { label: 'boot only', args: ['--exec', '/bin/true'], cwd: root },
  default: { label: 'default', args: [], cwd: root },
  all: { label: '-p all', args: ['-p', 'all'], cwd: root },
  ftracetest: {
    label: 'ftracetest',
    args: ['--exec', '/usr/bin/unshare', '--', '-m', '/bin/sh', '-c', ftraceScript],
    cwd: ftraceDir(meta.source),
  },
};
const chosen = o.suites.split(',').map((s) => {
  if (!SUITES[s]) {
    say(`unknown suite '${s}': pick from ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  return [s, SUITES[s]];
});

fs.mkdirSync(o.out, { recursive: true });
const results = [];
const lines = [`kernel: ${kernel} (${meta.kernelVersion}, ${meta.sourceLabel})`, `date: ${new Date().toISOString()}`];
for (const [key, s] of chosen) {
  const dir = path.join(o.out, key);
  const exec = s.args[0] === '--exec';
  const argv = [
    cli,
    'vm',
    '--kernel',
    kernel,
    '--coverage',
    dir,
    '--timeout',
    o.timeout,
    ...(exec ? s.args : ['--', ...s.args]),
  ];
  const load = os.loadavg()[0].toFixed(2);
  say(`${s.label}: (cd ${s.cwd} && node ${argv.join(' ')})`);
  const t0 = Date.now();
  const r = await execa(process.execPath, argv, {
    cwd: s.cwd,
    reject: false,
    stdout: { file: path.join(o.out, `${key}.out`) },
    stderr: 'inherit',
  });
  const min = ((Date.now() - t0) / 60000).toFixed(1);
  lines.push(
    `${s.label}: exit ${r.exitCode}, ${min} min, load before ${load}: node ${argv.slice(1).join(' ')} (cwd ${s.cwd})`,
  );
  const info = path.join(dir, 'coverage.info');
  if (!fs.existsSync(info)) {
    say(`${s.label}: no ${info} (exit ${r.exitCode}); left out of the table`);
    continue;
  }
  results.push({ name: s.label, tracefile: parseTracefile(fs.readFileSync(info, 'utf8')) });
}
const out = [...lines, '', compareTable(results)];
for (const f of ['fs/tracefs/event_inode.c', 'fs/tracefs/inode.c']) {
  const fns = unreachedByAll(results, f);
  out.push(`functions of ${f} no suite enters (${fns.length}):`, ...fns.map((x) => `- ${x.name} (line ${x.line})`), '');
}
fs.writeFileSync(path.join(o.out, 'table.md'), out.join('\n'));
process.stdout.write(out.join('\n'));
say(`written to ${path.join(o.out, 'table.md')}`);
