// The `vm` command's work: check the input, fetch or check the kernels, pick
// the accelerator, boot each kernel, render the reports on the host.
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package.js';
import { isFormat, render, renderMany, type Format } from '../report/index.js';
import { toolVersion } from '../package.js';
import { EXIT, UsageError } from '../errors.js';
import { checkOutputWritable } from '../cli/parse.js';
import type { VmOpts } from '../cli/commands/vm.js';
import { chooseAccel, parseTcg, type Accel } from './accel.js';
import { bootOnce, JOURNAL_FILE, type BootOutcome } from './boot.js';
import { OOPS_GRACE_MS } from './guest-watch.js';
import { resolveCustom } from './custom.js';
import { ensureDeps } from './deps.js';
import { parseDebianSpec, resolveDebian, type KernelImage } from './kernels.js';
import { combinedExitCode, exitCodeOf, matrixTable, reportOf } from './matrix.js';
import { emulatorInt3 } from './outcome.js';
import { guestExpectArgs, judgeVmReport, loadForVm, splitExpectArgs } from './expect.js';
import { CATALOGUE } from '../scenarios/catalogue.js';
import { cacheDirs } from '../host/paths.js';
import { parseCpus, parseMemory } from './qemu.js';
import { chooseQemu, describeQemu, hostQemuSources } from './qemu-choice.js';

export const MATRIX_DEBIAN = ['debian:6.1', 'debian:6.12', 'debian:6.18', 'debian:latest'];

/** Pull --format/--output out of the guest's args: the guest always writes JSON; the host renders. */
export function splitReportArgs(args: string[]): { rest: string[]; format: string; output?: string } {
  const rest: string[] = [];
  let format = 'pretty';
  let output: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^(--format|-f|--output|-o)(?:=(.*))?$/.exec(a);
    if (!m) {
      rest.push(a);
      continue;
    }
    const v = m[2] ?? args[++i];
    if (v === undefined) throw new UsageError(`${m[1]} needs a value`);
    if (m[1] === '--format' || m[1] === '-f') format = v;
    else output = v;
  }
  return { rest, format, output };
}

export async function runVm(runArgs: string[], o: VmOpts): Promise<number> {
  const say = (m: string) => process.stderr.write(`vm: ${m}\n`);
  // Everything the user typed is checked before anything is fetched or booted.
  const { rest: withExpect, format, output } = splitReportArgs(runArgs);
  const { rest: guestRest, files: expectFiles } = splitExpectArgs(withExpect);
  if (guestRest.includes('--ignore-skips') && expectFiles.length === 0) throw new UsageError('--ignore-skips goes with --expect FILE');
  const expectations = loadForVm(expectFiles, CATALOGUE.map((s) => s.id));
  const rest = [...guestRest, ...guestExpectArgs(expectFiles, packageRoot)];
  if (!isFormat(format)) throw new UsageError(`--format '${format}' is not one of pretty, ktap, json, junit`);
  if (output) checkOutputWritable(output);
  const memoryMiB = parseMemory(o.memory);
  const cpus = parseCpus(o.cpus);
  const timeoutS = Number(o.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UsageError(`--timeout ${o.timeout}: use a number of seconds`);
  const tcg = parseTcg(o.tcg);
  if (o.matrix && o.kernel.length) throw new UsageError('use either --matrix or --kernel, not both');
  const specs = o.matrix ? MATRIX_DEBIAN : o.kernel.length ? o.kernel : ['debian:6.12'];
  for (const s of specs) parseDebianSpec(s);
  if (o.modules && specs.some((s) => s.startsWith('debian:'))) throw new UsageError('--modules goes with a custom --kernel PATH only');
  const entry = path.join(packageRoot, 'bin', 'tracefs-regress.js');
  if (!fs.existsSync(path.join(packageRoot, 'dist', 'cli', 'main.js'))) {
    throw new UsageError(`the guest runs ${entry}, which needs dist/: run \`npm run build\` first`);
  }
  await ensureDeps({ debian: specs.some((s) => s.startsWith('debian:')), install: !!o.installDeps, log: say });

  const kernels: KernelImage[] = [];
  for (const s of specs) {
    const k = s.startsWith('debian:') ? await resolveDebian(s, say) : await resolveCustom(s, o.modules, stageDir());
    // debian:latest may be the same kernel as debian:6.18: boot it once.
    if (!kernels.some((x) => x.vmlinuz === k.vmlinuz)) kernels.push(k);
  }
  // Chosen (and fetched when needed) before --fetch-only returns: CI's cache warm-up gets the QEMU too.
  const qemu = await chooseQemu(hostQemuSources(say));
  say(describeQemu(qemu));
  if (qemu.fallback) say(`note: ${qemu.fallback}`);
  if (o.fetchOnly) {
    for (const k of kernels) process.stdout.write(`${k.spec} ${k.release} ${k.vmlinuz}\n`);
    return EXIT.ok;
  }
  if (kernels.length > 1) say(`kernels: ${kernels.map((k) => k.release || k.spec).join(', ')}`);

  let accel: Accel | undefined;
  const outcomes: BootOutcome[] = [];
  const retried = new Map<BootOutcome, string>();
  for (const k of kernels) {
    if (!accel) {
      const c = await chooseAccel({ tcg, qemu: qemu.version }, async (a) => {
        const r = await bootOnce({ ...common(k, a), timeoutMs: 60_000, guestArgv: () => ['/bin/true'] });
        return r.status === 'DONE' && r.guestCode === 0;
      });
      accel = c.accel;
      say(`accelerator: ${c.accel.kind === 'kvm' ? 'kvm' : `tcg thread=${c.accel.thread}`} (${c.why})`);
    }
    say(`booting ${k.release || k.spec} (${memoryMiB} MiB, ${cpus} CPUs)`);
    const keepLog = o.keepLog && kernels.length > 1 ? `${o.keepLog}.${k.release || path.basename(k.spec)}` : o.keepLog;
    const boot = () =>
      bootOnce({
        ...common(k, accel!),
        timeoutMs: timeoutS * 1000,
        keepLog,
        oopsGraceMs: OOPS_GRACE_MS,
        guestArgv: (share) => [
          ...[process.execPath, entry, 'run', ...rest, '--format', 'json', '--output', path.join(share, 'report.json')],
          ...['--journal', path.join(share, JOURNAL_FILE)],
        ],
        onConsole: (line) => process.stderr.write(`${kernels.length > 1 ? `[${k.release}] ` : ''}${line}\n`),
      });
    let out = await boot();
    // An emulator fault is no verdict on the kernel: boot once more, and say so in the report.
    const int3 = emulatorInt3(out.accelerator, out.consoleFailures);
    if (int3 && out.status !== 'INTERRUPTED') {
      say(`${out.kernel}: '${int3}' under multi-threaded TCG is QEMU's text-patching fault, not a kernel verdict: booting once more`);
      const first = out;
      out = await boot();
      retried.set(out, `boot 1 discarded: '${int3}' under multi-threaded TCG (a QEMU fault; console log ${first.serialLog || 'not kept'}); these results are from boot 2`);
    }
    outcomes.push(out);
    const t = out.timings;
    say(
      `${out.kernel}: ${out.status}${out.message ? ` (${out.message})` : ''}; guest command started ${fmt(t.runStartMs)}, ` +
        `first result ${fmt(t.firstResultMs)}, total ${fmt(t.totalMs)} after QEMU started (${out.accelerator})`,
    );
    if (t.failureMs !== undefined) say(`  kernel failure on the console ${fmt(t.failureMs)} after QEMU started${out.running ? `, during ${out.running}` : ''}`);
    if (out.partial) say(`  the guest wrote no final report: ${out.report?.results.length ?? 0} results from its run journal`);
    for (const l of out.consoleFailures) say(`  console: ${l}`);
    if (out.serialLog && out.status !== 'DONE') say(`  console log: ${out.serialLog}`);
    if (out.status === 'INTERRUPTED') break;
  }

  const tool = { name: 'tracefs-regress', version: toolVersion() };
  // The guest judged its results already; the host judges again so the console's oops can be explained too.
  const reports = outcomes.map((x) => {
    const r = judgeVmReport(reportOf(x, tool, qemu.version), expectations);
    const note = retried.get(x);
    if (note) r.env.notes = [...(r.env.notes ?? []), note];
    return r;
  });
  const opts = { color: !output && process.stdout.isTTY === true };
  const text = reports.length === 1 ? render(format as Format, reports[0]!, opts) : renderMany(format as Format, reports, opts);
  if (output) fs.writeFileSync(output, text);
  else process.stdout.write(text);
  if (reports.length > 1) process.stderr.write('\n' + matrixTable(reports));
  return combinedExitCode(outcomes.map((x, i) => exitCodeOf(x, reports[i])));

  function common(k: KernelImage, a: Accel) {
    return { kernel: k, accel: a, memoryMiB, cpus, append: o.append, cwd: packageRoot, verbose: !!o.verbose, log: say, qemu };
  }
}

/** Where a custom kernel's modules are staged: under the cache, which the guest can see (not /tmp). */
function stageDir(): string {
  fs.mkdirSync(cacheDirs.runs(), { recursive: true });
  return fs.mkdtempSync(path.join(cacheDirs.runs(), 'custom-'));
}

function fmt(ms: number | undefined): string {
  return ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
}
