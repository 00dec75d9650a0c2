// SPDX-License-Identifier: GPL-2.0-only
// `explore` on the host: boot the kernel in a guest (`vm --exec node ...
// explore --here --stream`), follow its JSON lines (progress to stderr, every
// program kept until the next one), and when it finds something, keep the
// evidence in the out dir and verify the reproducer in a fresh guest of the
// same kernel (and, with --clean-kernel, that it stays quiet on a good one),
// as `kernel selftest` verifies the suite's reproducers.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { EXIT } from '../errors.js';
import { INT3_OOPS } from '../health/splat.js';
import { packageRoot } from '../package.js';
import { prepareOutputDir, writeFileInDir } from '../util/output.js';
import { vmChild, type VmChildResult } from '../vm/child.js';
import {
  judgeClean,
  judgeOwn,
  parseDriverOutput,
  parseExecBoot,
  reproDriverScript,
} from '../kernel/selftest/repro-verdict.js';
import { guestArgs, guestTimeout, type ExplorePlan, type GuestWhere as Guest } from './options.js';
import { guestEnd, parseRecord, type ExploreRecord, type ExploreStats, type Finding, type GuestEnd } from './stream.js';
import { formatProgress, type LineSink } from './progress.js';
import { crashReproducer, findingReproducer } from './reproducer.js';
import { legUse, MAX_RESTARTS, nextLeg, shiftFinding, sumStats, type LegUse } from './legs.js';
import { ruleKey } from './shrink.js';

export interface HostDeps {
  say: (m: string) => void;
  /** The live progress line (the CLI's ProgressLine). */
  progress: LineSink;
  signal?: AbortSignal;
}

/** Seconds a race reproducer races when verified (repro's -d), as kernel selftest's own-kernel runs. */
const VERIFY_RACE_S = 60;

export async function exploreInGuest(plan: ExplorePlan, deps: HostDeps): Promise<number> {
  const where = plan.where as Guest;
  const out = prepareOutputDir(plan.out, '--out');
  const { say } = deps;
  say(`seed ${plan.seed} (the same run again: --seed ${plan.seed}); kernel ${where.kernel}; results in ${out}`);
  const done: LegUse[] = [];
  const earlier: Finding[] = [];
  const restarts: Restart[] = [];
  for (let legPlan: ExplorePlan | undefined = plan; ;) {
    const k = done.length;
    const leg = await oneGuest(legPlan, where, out, k, deps);
    const { end, r, records } = leg;
    const last = end.kind === 'died' ? end.last : lastProgram(records);
    const use = legUse(legPlan.seed, 'stats' in end ? end.stats : undefined, last);
    const int3 = r.end !== 'aborted' ? emulatorDeath(r) : undefined;
    // Only a death the run would otherwise end on: without --keep-going a finding ends the run anyway.
    if (int3 && (end.kind === 'died' || (end.kind === 'finding' && plan.keepGoing))) {
      legPlan = nextLeg(plan, [...done, use]);
      if (legPlan) {
        if (end.kind === 'finding') earlier.push(...end.findings.map((f) => shiftFinding(f, done)));
        restarts.push({ guest: k + 1, program: (last?.n ?? 0) + sum(done, 'programs'), console: int3, seed: use.seed });
        done.push(use);
        say(
          `the guest died of "${int3}" in its program ${last?.n ?? '?'}: the multi-threaded TCG artifact vm knows ` +
            `(docs/vm.md), not a finding; a fresh guest explores the remaining ${Math.round(legPlan.durationMs / 1000)} s ` +
            `(seed ${legPlan.seed}, restart ${done.length} of at most ${MAX_RESTARTS})`,
        );
        continue;
      }
    }
    done.push(use);
    const run: Run = { done, earlier, restarts, stats: sumStats(done) };
    return settle(shiftEnd(end, done.slice(0, -1)), r, plan, where, out, deps, records, run);
  }
}

/** A restart after an emulator death, as the summary keeps it. */
interface Restart {
  /** 1-based: the guest that died. */
  guest: number;
  /** The run's program that was running. */
  program: number;
  console: string;
  /** The dead guest's seed. */
  seed: number;
}

/** The whole run as settle reports it: every leg, the findings of guests that died since, their deaths. */
interface Run {
  done: LegUse[];
  earlier: Finding[];
  restarts: Restart[];
  stats: ExploreStats | undefined;
}

const sum = (legs: readonly LegUse[], k: 'programs' | 'ms') => legs.reduce((a, l) => a + l[k], 0);

function lastProgram(records: readonly ExploreRecord[]): { n: number; ms: number } | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const p = records[i]!;
    if (p.t === 'program') return { n: p.n, ms: p.ms };
  }
  return undefined;
}

/** The last leg's end in the run's numbers. */
function shiftEnd(end: GuestEnd, before: readonly LegUse[]): GuestEnd {
  if (end.kind === 'finding') return { ...end, findings: end.findings.map((f) => shiftFinding(f, before)) };
  if (end.kind === 'died' && end.last)
    return {
      ...end,
      last: { ...end.last, n: end.last.n + sum(before, 'programs'), ms: end.last.ms + sum(before, 'ms') },
    };
  return end;
}

/**
 * vm's one emulator artifact (vm/boot/outcome.ts emulatorInt3): an `Oops: int3`
 * first, from a stale translation of code the kernel just patched under
 * multi-threaded TCG. Not the kernel's: never a finding.
 */
function emulatorDeath(r: VmChildResult): string | undefined {
  const first = parseExecBoot(r.exitCode, r.stderr).console[0];
  return first !== undefined && INT3_OOPS.test(first) ? first : undefined;
}

/** One guest: its files are the run's for the first, suffixed by its number after a restart. */
async function oneGuest(
  plan: ExplorePlan,
  where: Guest,
  out: string,
  k: number,
  deps: HostDeps,
): Promise<{ end: GuestEnd; r: VmChildResult; records: ExploreRecord[] }> {
  const name = (base: string, ext: string) => path.join(out, k === 0 ? `${base}.${ext}` : `${base}-${k + 1}.${ext}`);
  const records: ExploreRecord[] = [];
  const stream = fs.createWriteStream(name('stream', 'jsonl'));
  const coverage = where.coverage !== undefined ? ['--coverage', path.join(where.coverage, `guest-${k + 1}`)] : [];
  const r = await vmChild(
    {
      root: packageRoot,
      kernel: where.kernel,
      timeout: guestTimeout(plan, where),
      consoleLog: name('console', 'log'),
      vmArgs: [...where.vmArgs, ...coverage],
      mode: {
        kind: 'exec',
        program: process.execPath,
        args: [path.join(packageRoot, 'bin/tracefs-regress.js'), ...guestArgs(plan)],
      },
    },
    {
      ...(deps.signal ? { signal: deps.signal } : {}),
      vmLog: name('vm', 'log'),
      onLine: (line, s) => {
        const rec = s === 'stdout' ? parseRecord(line) : undefined;
        if (!rec) {
          // vm's own notes and whatever the guest printed on stderr (its progress line).
          if (s === 'stderr' || line.trim()) deps.progress.print(line);
          return;
        }
        stream.write(`${line}\n`);
        // Only the running program matters once the next one starts: a long run keeps no list of them.
        if (rec.t === 'program' && records.at(-1)?.t === 'program') records.pop();
        records.push(rec);
        if (rec.t === 'start')
          deps.say(
            `${rec.kernel.release}: ${rec.kcov ? 'KCOV-guided' : 'blind (no KCOV)'}; kinds ${rec.kinds.join(', ')}`,
          );
        if (rec.t === 'progress') deps.progress.update(formatProgress(rec.stats));
      },
    },
  );
  await new Promise<void>((done) => stream.end(done));
  return { end: guestEnd(records, r.end === 'exited' ? r.exitCode : undefined), r, records };
}

/**
 * --keep-going meets one broken rule many times (the guest sends each as it
 * comes): one finding per rule is reported and verified, the shrunk one (with
 * the guest's reproducer) when there is one, else the first.
 */
export function onePerRule(findings: readonly Finding[]): { kept: Finding[]; again: number } {
  const best = new Map<string, Finding>();
  for (const f of findings) {
    const key = f.violations.length ? ruleKey(f.program, f.violations) : `died:${f.n}`;
    const was = best.get(key);
    if (!was || (!was.reproducer && f.reproducer)) best.set(key, f);
  }
  return { kept: [...best.values()], again: findings.length - best.size };
}

/** The guest's kernel as its start record says (uname), else the spec booted. */
function kernelOf(records: readonly ExploreRecord[], where: Guest): { release: string; version: string } {
  const s = records.find((r) => r.t === 'start');
  return s?.t === 'start' ? s.kernel : { release: where.kernel, version: '' };
}

async function settle(
  end: GuestEnd,
  r: VmChildResult,
  plan: ExplorePlan,
  where: Guest,
  out: string,
  deps: HostDeps,
  records: readonly ExploreRecord[],
  run: Run,
): Promise<number> {
  const { say } = deps;
  if (r.end === 'aborted') {
    say('stopped by a signal: the guest was ended');
    return EXIT.sigint;
  }
  if (end.kind === 'error') {
    say(`ERROR: ${end.message}; see ${path.join(out, 'vm.log')}`);
    return EXIT.usage;
  }
  const stats = run.stats ?? ('stats' in end ? end.stats : undefined);
  const legs = {
    ...(run.restarts.length ? { restarts: run.restarts, seeds: run.done.map((l) => l.seed) } : {}),
  };
  if (end.kind === 'clean' && !run.earlier.length) {
    const again = run.restarts.length ? ` (${run.restarts.length + 1} guests: see restarts in explore.json)` : '';
    say(`nothing found: ${formatProgress(stats ?? end.stats)}${again}`);
    writeSummary(out, { seed: plan.seed, kernel: where.kernel, result: 'clean', stats: stats ?? end.stats, ...legs });
    return EXIT.ok;
  }
  const boot = parseExecBoot(r.exitCode, r.stderr);
  // The run's budget or restarts were spent when the last guest died of the emulator artifact.
  const int3 = emulatorDeath(r);
  if (end.kind === 'died' && int3 !== undefined && !run.earlier.length) {
    say(
      `ERROR: the guest died of "${int3}" in program ${end.last?.n ?? '?'}: the multi-threaded TCG ` +
        `artifact vm knows (docs/vm.md), not counted as a finding; run again (console: ${out}/console.log)`,
    );
    writeSummary(out, {
      seed: plan.seed,
      kernel: where.kernel,
      result: 'emulator-int3',
      ...(stats ? { stats } : {}),
      console: boot.console,
      ...legs,
    });
    return EXIT.usage;
  }
  // The guest died in a program (not of the emulator): the program is the finding, a crash reproducer its evidence.
  const death: Finding | undefined =
    end.kind === 'died' && end.last && int3 === undefined
      ? {
          kind: 'health',
          n: end.last.n,
          ms: end.last.ms,
          what: `the kernel failed while program ${end.last.n} ran: ${boot.console[0] ?? boot.status ?? 'the guest ended early'}`,
          violations: [],
          program: end.last.program,
        }
      : undefined;
  const findings: Finding[] = [...run.earlier, ...(end.kind === 'finding' ? end.findings : death ? [death] : [])];
  if (!findings.length) {
    say(
      `the guest ended before its first program (${boot.console[0] ?? boot.status ?? `vm exit ${r.exitCode ?? 'none'}`}); see ${out}/console.log`,
    );
    return EXIT.usage;
  }
  const verified: unknown[] = [];
  const { kept, again } = onePerRule(findings);
  if (again) say(`${again} more finding(s) broke a rule already found: kept in stream.jsonl, not verified again`);
  for (const f of kept) {
    const tag = `finding-${f.n}`;
    writeFileInDir(out, `${tag}.json`, `${JSON.stringify(f, null, 2)}\n`);
    say(`FOUND in program ${f.n}: ${f.what}`);
    for (const v of f.violations.slice(0, 5)) say(`  ${v.op} ${v.path}: expected ${v.expected}, got ${v.got}`);
    for (const line of boot.console.slice(0, 8)) say(`  console: ${line}`);
    const kernel = kernelOf(records, where);
    const repro =
      f.reproducer ??
      (f === death ? crashReproducer(f.program, kernel) : findingReproducer(f.program, f.violations, kernel));
    if (!repro) {
      say('  no reproducer: the program has nothing the C generator can replay');
      continue;
    }
    const file = writeFileInDir(out, `${tag}-${repro.file}`, repro.text);
    say(`  reproducer: ${file}`);
    if (plan.verify)
      verified.push({ finding: f.n, file, ...(await verify(file, repro.mode === 'race', where, out, deps)) });
  }
  writeSummary(out, {
    seed: plan.seed,
    kernel: where.kernel,
    result: death ? 'kernel-failure' : 'finding',
    ...(stats ? { stats } : {}),
    console: boot.console,
    findings: findings.map((f) => ({
      n: f.n,
      ms: f.ms,
      kind: f.kind,
      what: f.what,
      actions: f.program.actions.length,
      shrunk: f.shrunk?.actions.length,
    })),
    verified,
    ...legs,
  });
  return EXIT.failed;
}

function writeSummary(
  out: string,
  s: { seed: number; kernel: string; result: string; stats?: ExploreStats; [k: string]: unknown },
): void {
  writeFileInDir(out, 'explore.json', `${JSON.stringify(s, null, 2)}\n`);
}

/** Build the reproducer statically, run it in a fresh guest of the kernel (must reproduce) and of --clean-kernel (must not). */
async function verify(
  source: string,
  race: boolean,
  where: Guest,
  out: string,
  deps: HostDeps,
): Promise<{ own: string; clean?: string; problems: string[] }> {
  const problems: string[] = [];
  const bin = source.replace(/\.c$/, '');
  const cc = await execa('cc', ['-O2', '-static', '-pthread', '-o', bin, source], { reject: false, all: true });
  if (cc.exitCode !== 0) {
    fs.writeFileSync(`${bin}.build.log`, cc.all ?? '');
    deps.say(`  does not build (cc exit ${cc.exitCode}): ${bin}.build.log`);
    return { own: 'NOT BUILT', problems: [`cc exit ${cc.exitCode}`] };
  }
  const driver = path.join(out, 'run-repro.sh');
  fs.writeFileSync(driver, reproDriverScript(), { mode: 0o755 });
  const once = async (kernel: string, label: string) => {
    const r = await vmChild(
      {
        root: packageRoot,
        kernel,
        timeout: `${VERIFY_RACE_S + 300}s`,
        consoleLog: path.join(out, `verify-${label}.console.log`),
        vmArgs: where.vmArgs,
        mode: { kind: 'exec', program: driver, args: [bin, race ? `-d ${VERIFY_RACE_S}` : ''] },
      },
      { ...(deps.signal ? { signal: deps.signal } : {}), vmLog: path.join(out, `verify-${label}.vm.log`) },
    );
    return { run: parseDriverOutput(r.stdout).get(path.basename(bin)), boot: parseExecBoot(r.exitCode, r.stderr) };
  };
  const own = await once(where.kernel, 'own');
  const o = judgeOwn(own.run, race, own.boot);
  deps.say(
    `  verified on ${where.kernel} (fresh guest): ${o.cell}${o.line ? ` (${o.line})` : ''}${o.problem ? `: ${o.problem}` : ''}`,
  );
  if (o.problem) problems.push(o.problem);
  if (!where.cleanKernel) return { own: o.cell, problems };
  const clean = await once(where.cleanKernel, 'clean');
  const c = judgeClean(clean.run, clean.boot);
  deps.say(`  on ${where.cleanKernel}: ${c.cell}${c.line ? ` (${c.line})` : ''}${c.problem ? `: ${c.problem}` : ''}`);
  if (c.problem) problems.push(c.problem);
  return { own: o.cell, clean: c.cell, problems };
}
