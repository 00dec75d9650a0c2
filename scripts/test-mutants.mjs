#!/usr/bin/env node
// npm run test:mutants: prove the suite catches the planted regressions.
// Builds the clean kernel and every test/mutants/*.patch (incremental after
// the first), boots each in the VM runner, runs the suite, and asserts: the
// clean kernel passes every scenario; every mutant fails in the scenarios its
// header names, with the violating op quoted. Then (unless --no-ftracetest)
// runs the kernel's own ftracetest on the same kernels for comparison.
// Prints a mutant x scenario table; writes JSON and Markdown summaries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    kasan: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true, default: [] },
    ftracetest: { type: 'boolean', default: true },
    'no-ftracetest': { type: 'boolean', default: false },
    'ftracetest-only': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '1200' },
    'race-runs': { type: 'string', default: '3' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  process.stdout.write(
    'usage: node scripts/test-mutants.mjs [--kasan] [--only MUTANT]... [--no-ftracetest | --ftracetest-only] [--timeout S] [--race-runs N] [--out DIR]\n' +
      '  --race-runs N  boots per race-only mutant (Race: yes), each must catch it (default 3)\n',
  );
  process.exit(0);
}
const say = (m) => process.stderr.write(`test-mutants: ${m}\n`);
// Stop cleanly: the running vm child (or bootOnce, in-process) kills its qemu; nothing else starts.
let stopping = false;
let child;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopping = true;
    say(`${sig}: stopping; the running guest is killed, nothing else starts`);
    child?.kill('SIGTERM');
  });
}
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

// The VM guest runs dist/, so dist must match src before anything boots.
say('compiling dist/ (tsc -p tsconfig.build.json)');
const tsc = await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, reject: false, all: true });
for (const f of ['dist/kernel/build.js', 'dist/cli/main.js']) {
  if (!fs.existsSync(path.join(root, f))) {
    say(`tsc did not produce ${f}:\n${tsc.all}`);
    process.exit(2);
  }
}
if (tsc.exitCode !== 0) say(`tsc reported type errors (dist/ written anyway):\n${tsc.all.split('\n').slice(0, 10).join('\n')}`);

const { buildKernel } = await import('../dist/kernel/build.js');
const { readMutants } = await import('../dist/kernel/patches.js');
const { runFtracetest } = await import('../dist/kernel/ftracetest.js');
const { verdictFor, scenarioCells, renderTable, compareFtrace, raceSecondsToFailure, raceSummary } = await import('../dist/kernel/selftest.js');
const { CATALOGUE } = await import('../dist/scenarios/catalogue.js');
const raceIds = new Set(CATALOGUE.filter((s) => s.race).map((s) => s.id));
const raceRuns = Number(opt['race-runs']);
if (!Number.isInteger(raceRuns) || raceRuns < 1 || raceRuns > 50) {
  say(`--race-runs ${opt['race-runs']}: use a whole number from 1 to 50`);
  process.exit(2);
}

const outDir = opt.out ?? path.join(os.homedir(), '.cache/tracefs-regress/selftest', new Date().toISOString().replace(/[:.]/g, '-'));
fs.mkdirSync(outDir, { recursive: true });
let mutants = readMutants(path.join(root, 'test/mutants'));
if (opt.only.length) mutants = mutants.filter((m) => opt.only.includes(m.name));
const suffix = opt.kasan ? '-kasan' : '';
const kernels = [{ name: `clean${suffix}`, mutant: undefined, patches: [] }, ...mutants.map((m) => ({ name: `${m.name}${suffix}`, mutant: m, patches: [m.file] }))];

// 1. Builds: the clean kernel cold (or from ccache), each mutant seeded from it.
for (const k of kernels) {
  if (stopping) process.exit(130);
  const l0 = load();
  say(`building ${k.name} (load ${l0})`);
  const r = await buildKernel({ name: k.name, kasan: opt.kasan, patches: k.patches, log: (m) => say(`  ${m}`) });
  k.build = { bzImage: r.bzImage, seconds: r.seconds, how: r.how, load: `${l0} -> ${load()}`, source: r.meta.source };
  say(`  ${r.bzImage} in ${r.seconds} s (${r.how})`);
}

// 2. The suite in the VM runner, one boot per kernel.
const failures = [];
if (!opt['ftracetest-only']) {
  // One boot of the suite under the runner's defaults (the mutant's Cmdline added).
  const boot = async (k, tag, runArgs) => {
    const report = path.join(outDir, `${tag}.json`);
    const started = Date.now();
    const append = k.mutant?.cmdline ? ['--append', k.mutant.cmdline] : [];
    child = execa(
      process.execPath,
      [path.join(root, 'bin/tracefs-regress.js'), 'vm', '--kernel', k.build.bzImage, ...append, '--timeout', opt.timeout, '--keep-log', path.join(outDir, `${tag}.console.log`), '--', ...runArgs, '--format', 'json', '--output', report],
      { cwd: root, reject: false, all: true },
    );
    const r = await child;
    fs.writeFileSync(path.join(outDir, `${tag}.vm.log`), r.all);
    return {
      suite: { exitCode: r.exitCode, wallMs: Date.now() - started, vmLog: r.all.split('\n').filter((l) => l.startsWith('vm:')) },
      report: fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : undefined,
    };
  };
  for (const k of kernels) {
    if (stopping) process.exit(130);
    say(`suite on ${k.name}${k.mutant?.cmdline ? ` (guest cmdline + ${k.mutant.cmdline})` : ''}`);
    Object.assign(k, await boot(k, k.name, []));
    k.verdict = verdictFor(k.report, k.mutant, { kasan: opt.kasan, raceIds });
    say(`  ${k.verdict.ok ? 'as expected' : 'NOT as expected'}: ${k.verdict.summary} (${(k.suite.wallMs / 1000).toFixed(0)} s)`);
    if (!k.mutant?.race) {
      for (const p of k.verdict.problems) failures.push(`${k.name}: ${p}`);
      continue;
    }
    // A race may miss in one boot: a race-only mutant must be caught in every
    // one of --race-runs boots. The first boot ran the whole suite (which also
    // shows the single-threaded scenarios pass); the others run the races only.
    const runs = [{ ok: k.verdict.ok, secondsToFailure: raceSecondsToFailure(k.report, raceIds), caught: Object.keys(k.verdict.caught) }];
    const firstProblems = k.verdict.problems;
    for (let i = 2; i <= raceRuns && !stopping; i++) {
      const b = await boot(k, `${k.name}.${i}`, ['--scenario', 'race-*']);
      const v = verdictFor(b.report, k.mutant, { kasan: opt.kasan, raceIds });
      runs.push({ ok: v.ok, secondsToFailure: raceSecondsToFailure(b.report, raceIds), caught: Object.keys(v.caught) });
      say(`  boot ${i}: ${v.ok ? 'caught' : 'NOT caught'}: ${v.summary} (${(b.suite.wallMs / 1000).toFixed(0)} s)`);
      for (const p of v.problems) say(`    ${p}`);
    }
    const sum = raceSummary(k.name, runs);
    k.raceRuns = runs;
    k.raceLine = sum.line;
    say(`  ${sum.line}`);
    for (const p of [...firstProblems, ...sum.problems]) failures.push(`${k.name}: ${p}`);
  }
  const races = kernels.filter((k) => k.raceLine).map((k) => `- ${k.raceLine}`);
  const table =
    renderTable(kernels.map((k) => ({ name: k.name, cells: scenarioCells(k.report, k.mutant), verdict: k.verdict, wallMs: k.suite.wallMs }))) +
    (races.length ? `\n\nRace-only mutants, ${raceRuns} boots each under the defaults:\n${races.join('\n')}` : '');
  process.stdout.write(`\n${table}\n`);
  fs.writeFileSync(path.join(outDir, 'suite-table.md'), table + '\n');
}

// 3. The peer: ftracetest's kprobe, dynevent and instances sets on the same kernels.
if (!opt['no-ftracetest'] && opt.ftracetest) {
  const { chooseAccel } = await import('../dist/vm/accel.js');
  const { accel } = await chooseAccel({}, async () => false);
  for (const k of kernels) {
    if (stopping) process.exit(130);
    say(`ftracetest on ${k.name}`);
    const r = await runFtracetest({
      bzImage: k.build.bzImage,
      sourceDir: k.build.source,
      accel,
      timeoutMs: Number(opt.timeout) * 1000,
      keepLog: path.join(outDir, `${k.name}.ftracetest.console.log`),
    });
    k.ftrace = { cases: r.cases, status: r.boot.status, message: r.boot.message, wallMs: r.wallMs, consoleFailures: r.boot.consoleFailures };
    const c = r.cases.reduce((a, x) => ((a[x.status] = (a[x.status] ?? 0) + 1), a), {});
    say(`  ${r.boot.status}: ${JSON.stringify(c)} in ${(r.wallMs / 1000).toFixed(0)} s`);
  }
  const clean = kernels[0].ftrace;
  const lines = ['| kernel | ftracetest verdict | newly failing tests (vs clean) | wall |', '|---|---|---|---|'];
  for (const k of kernels) {
    const cmp = compareFtrace(clean, k.ftrace);
    k.ftraceVerdict = cmp;
    lines.push(`| ${k.name} | ${k === kernels[0] ? cmp.summary : cmp.caught ? 'caught' : 'missed'} | ${cmp.newlyFailing.slice(0, 4).join('; ')}${cmp.newlyFailing.length > 4 ? ` (+${cmp.newlyFailing.length - 4})` : ''} | ${(k.ftrace.wallMs / 1000).toFixed(0)} s |`);
  }
  const table = lines.join('\n');
  process.stdout.write(`\n${table}\n`);
  fs.writeFileSync(path.join(outDir, 'ftracetest-table.md'), table + '\n');
}

fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify({ kasan: opt.kasan, kernels: kernels.map(({ report, ...k }) => k), failures }, null, 2));
say(`results in ${outDir}`);
if (failures.length) {
  say(`FAILED:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
} else if (!opt['ftracetest-only']) {
  say('every mutant caught where its header says; the clean kernel passed');
}
