// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import { Command, Option } from 'commander';
import { CATALOGUE, describeScenario } from '../../scenarios/catalogue.js';
import { openTracefs } from '../../tracefs/open.js';
import { removeStale, describeCleanup } from '../../probes/stale.js';
import { removeDeadPrivateMounts, describeMountCleanup } from '../../tracefs/mount.js';
import {
  crasherSkips,
  runEnvironment,
  runSuite,
  type ExpectationOptions,
  type SuiteOptions,
} from '../../runner/run-suite.js';
import type { Scenario } from '../../scenarios/types.js';
import { loadExpectations } from '../../expectations/parse.js';
import { IGNORE_KNOWN_CRASHERS, RUN_KNOWN_CRASHERS, skipEntryFor } from '../../expectations/apply.js';
import { crasherNotices } from '../../expectations/crashers.js';
import { shippedCrashers, shippedKnownBugs, withShippedCrashers } from '../../expectations/shipped.js';
import { selectKinds, selectScenarios } from '../../runner/select.js';
import { setInterruptHook, onTeardown } from '../../runner/teardown.js';
import { FORMATS, render, exitCodeFor, liveLine, nothingToReport, useColor, type Format } from '../../report/index.js';
import { iterationLine } from '../../report/pretty.js';
import {
  iterationName,
  mergeIterations,
  repeatLine,
  summarizeRepeat,
  wantsAnother,
  type IterationRun,
  type RepeatPlan,
} from '../../report/repeat.js';
import type { RunReport } from '../../report/types.js';
import { JournalWriter } from '../../report/journal.js';
import { toolVersion } from '../../package.js';
import { parseDuration, parseRepeat, parseThreads, repeatable } from '../parse.js';
import { TIME_HELP } from '../../util/time.js';
import { PROBE_KINDS } from '../../model.js';
import { OutputFile, checkTarget, refuseSharedTargets, stdoutFailed, writeStdout } from '../../util/output.js';
import { EnvironmentError, UsageError, exitForSignal } from '../../errors.js';
import { ProgressLine } from '../progress.js';
import { guestTestHooks } from '../../vm/guest/token.js';
import { prepareReproDir } from '../../repro/dir.js';
import { checkFdBudget } from '../../runner/fd-budget.js';
import { fdSink, KtapStream } from '../../report/ktap-stream.js';
import type { ProbeKind } from '../../model.js';
import type { ScenarioTestHooks } from '../../scenarios/types.js';

/**
 * Test hooks of one run. A test passes the scenarios' in (runCommand(hooks));
 * the one that crashes the kernel (panicAfter) comes only from
 * vm/guest/token.ts, which gives it to a guest this tool booted and never on a host.
 */
interface RunTestHooks extends ScenarioTestHooks {
  panicAfter?: number;
}

interface RunOpts {
  scenario: string[];
  exclude: string[];
  probe: string[];
  format: string;
  output?: string;
  journal?: string;
  tracefs?: string;
  bail?: boolean;
  verbose?: boolean;
  duration: string;
  scenarioTimeout: string;
  threads?: string;
  expect: string[];
  ignoreSkips?: boolean;
  runKnownCrashers?: boolean;
  ignoreKnownCrashers?: boolean;
  allowRemount?: boolean;
  repeat?: string;
  untilFail?: boolean;
  reproDir?: string;
}

/** The `run` command; `hooks` only from tests (test/live/fixtures/run-hooked.mjs), none in the CLI. */
export function runCommand(hooks: ScenarioTestHooks = {}): Command {
  return new Command('run')
    .description(
      "run the scenarios against this kernel's tracefs (as root); exit 0 only when every applicable one passed",
    )
    .addOption(repeatable('-s, --scenario <id|glob>', 'scenario id or glob, repeatable', 'all'))
    .addOption(
      repeatable(
        '--exclude <id|glob>',
        'leave out the scenarios this id or glob matches (after --scenario), repeatable',
      ),
    )
    .addOption(
      repeatable(
        '-p, --probe <kind>',
        `probe kind: ${PROBE_KINDS.join(', ')} or all; repeatable or comma-separated; a kind this kernel lacks is SKIP, exit 4 when none asked for is here`,
        'kprobe and uprobe',
      ),
    )
    .addOption(
      new Option('-f, --format <format>', 'report format (ktap is streamed as results complete; lkml: a mail per FAIL)')
        .choices(FORMATS)
        .default('pretty'),
    )
    .option(
      '-o, --output <file>',
      'write the report to FILE, renamed into place when it is complete (- for stdout; progress still goes to the terminal)',
    )
    .option(
      '--journal <file>',
      'write one JSON line per scenario start and result to FILE as the run goes (what `vm` reads when a guest dies)',
    )
    .option(
      '--tracefs <path>',
      'tracefs mount point, resolved and checked to be on tracefs (default: found in /proc/self/mountinfo, mounted if absent)',
    )
    .option('--duration <time>', `length of each race scenario, at most 24h (${TIME_HELP})`, '3s')
    .option(
      '--scenario-timeout <time>',
      `how long a scenario may run (a race: beyond its --duration) before it is interrupted and reported TIMEOUT (${TIME_HELP})`,
      '60s',
    )
    .option('--threads <n>', 'race worker threads, 1-64 (default: online CPUs)')
    .addOption(
      repeatable(
        '--expect <file>',
        'known kernel bugs (JSON, e.g. kernel/known-bugs.json): a matching failure is XFAIL, an expected one that passes XPASS; repeatable',
      ),
    )
    .option(
      '--ignore-skips',
      "run what the --expect files' skip entries keep from running (a pass or the expected failure is then accepted)",
    )
    .option(
      RUN_KNOWN_CRASHERS,
      "run the scenarios known to crash this kernel (kernel/known-bugs.json's crashers; skipped by default where the kernel carries the bug): the kernel may oops; a failure with the bug's signature is XFAIL (on by default in the vm guest)",
    )
    .option(
      IGNORE_KNOWN_CRASHERS,
      'run as if no crasher were known: they run and a failure is a FAIL (for a built kernel whose release does not say which fixes it has; the vm guest of a --kernel PATH gets it)',
    )
    .option(
      '--allow-remount',
      'let perm-remount-gid remount tracefs with gid= and restore its options (every process using tracefs sees it meanwhile; on by default in the vm guest)',
    )
    .option('--no-allow-remount', 'skip perm-remount-gid (UNSUPPORTED) even where it is on by default')
    .option(
      '--repeat <n>',
      'run the selection N times (1-1000000); each result is named <name>@<iteration>, the summary gives the failure rate',
    )
    .option(
      '--until-fail',
      'repeat until the first iteration that fails (at most --repeat N iterations; without it, at most 1000000)',
    )
    .option(
      '--repro-dir <dir>',
      'write a standalone C reproducer DIR/<scenario>[<kind>].c for each FAIL (kprobe/uprobe; made when missing)',
    )
    .option('--bail', 'stop after the first failing scenario (with --repeat: also stop repeating)')
    .option('-v, --verbose', "print each scenario's diagnostics as it runs")
    .action(async (o: RunOpts) => {
      process.exitCode = await run(o, { ...hooks, ...guestTestHooks() });
    });
}

/** What the user typed, checked before tracefs is touched. */
interface RunPlan {
  format: Format;
  durationMs: number;
  scenarioTimeoutMs: number;
  threads: number;
  scenarios: Scenario[];
  expect?: ExpectationOptions;
  /** --output and --journal: checked, their temporary files made in planRun (util/output); the old files stay until the run starts. */
  output?: OutputFile;
  journal?: OutputFile;
  /** --repeat / --until-fail; absent for a single run. */
  repeat?: RepeatPlan;
  /** --repro-dir, absolute, made and checked writable. */
  reproDir?: string;
}

function planRun(o: RunOpts): RunPlan {
  if (!(FORMATS as readonly string[]).includes(o.format)) {
    throw new UsageError(`--format '${o.format}' is not one of ${FORMATS.join(', ')}`);
  }
  const plan: RunPlan = {
    format: o.format as Format,
    durationMs: parseDuration(o.duration),
    scenarioTimeoutMs: parseDuration(o.scenarioTimeout, '--scenario-timeout'),
    threads: parseThreads(o.threads),
    scenarios: selectScenarios(CATALOGUE, o.scenario, o.exclude),
  };
  const repeat = parseRepeat(o.repeat, !!o.untilFail);
  if (repeat) plan.repeat = repeat;
  plan.expect = expectOptions(o);
  // Before anything is made or opened: a limit too low for the races is the environment's problem, said up
  // front; a race a skip entry keeps from running on this kernel (a known crasher) needs none.
  const release = os.release();
  const expect = plan.expect;
  const mayRun = (s: Scenario) => !PROBE_KINDS.every((k) => skipEntryFor(expect.entries, s.id, k, release, expect));
  checkFdBudget(plan.scenarios.filter(mayRun), plan.threads);
  // Checked before anything is made: never opened themselves, never the same file twice.
  if (o.journal === '-')
    throw new UsageError('--journal - would interleave with the report on stdout: name a file (e.g. ./journal.jsonl)');
  const output = o.output && o.output !== '-' ? checkTarget(o.output, '--output') : undefined;
  const journal = o.journal ? checkTarget(o.journal, '--journal') : undefined;
  refuseSharedTargets([output, journal]);
  if (o.reproDir !== undefined) plan.reproDir = prepareReproDir(o.reproDir);
  // Temporary files beside the targets, made last; before openTracefs, so a bad path writes nothing there.
  if (output) plan.output = OutputFile.create(output);
  try {
    if (journal) plan.journal = OutputFile.create(journal);
  } catch (e) {
    plan.output?.discard();
    throw e;
  }
  return plan;
}

async function run(o: RunOpts, hooks: RunTestHooks): Promise<number> {
  const plan = planRun(o);
  try {
    return await runPlan(o, plan, hooks);
  } finally {
    // Stopped before a report (no tracefs, not root): the temporary files go, the old files stay as they were.
    plan.output?.discard();
    plan.journal?.discard();
  }
}

async function runPlan(o: RunOpts, plan: RunPlan, hooks: RunTestHooks): Promise<number> {
  const tracefs = openTracefs({ path: o.tracefs, onTeardown });
  const { kinds } = selectKinds(o.probe, tracefs.kinds);
  const progress = new ProgressLine(process.stderr);
  const say = (s: string) => progress.print(s);
  // What dead runs left (their lease free, or no lease at all), whose, and what live runs keep.
  const stale = removeStale(tracefs.root);
  const mounts = removeDeadPrivateMounts(tracefs.mountedByUs ? tracefs.root : undefined);
  for (const line of [...describeCleanup(stale), ...describeMountCleanup(mounts)]) say(line);
  for (const f of [...stale.failed, ...mounts.failed]) say(`could not remove a dead run's ${f}`);

  // Said before anything runs, whatever the format: the scenarios that would crash this kernel are not run.
  if (plan.expect)
    for (const line of crasherNotices(
      crasherSkips(tracefs, plan.scenarios, kinds, plan.expect),
      tracefs.kernel.release,
    ))
      say(`tracefs-regress: ${line}`);
  const planned = plannedNames(plan, kinds);
  // The run starts: the streams take their names now (vm reads the guest's journal as it grows).
  let journalFailure: string | undefined;
  plan.journal?.publish();
  const journal = plan.journal
    ? new JournalWriter(plan.journal.release(), (m) => {
        journalFailure ??= m;
        say(m);
      })
    : undefined;
  journal?.write({
    type: 'start',
    tool: { name: 'tracefs-regress', version: toolVersion() },
    startedAt: new Date().toISOString(),
    env: runEnvironment(tracefs),
    ...(planned ? { plan: planned } : {}),
  });
  const ktap = plan.format === 'ktap' ? startKtap(plan, planned, runEnvironment(tracefs)) : undefined;
  const abort = new AbortController();
  // On SIGHUP/SIGINT/SIGTERM the hook stops the workers and waits for the report below (teardown exits 129/130/143 next).
  let reported!: () => void;
  const reportDone = new Promise<void>((resolve) => (reported = resolve));
  setInterruptHook(async (signal) => {
    abort.abort(signal);
    await reportDone;
  });
  let report: RunReport;
  const knownBugs = shippedKnownBugs(CATALOGUE.map((s) => s.id));
  const suite = (iteration?: number): Promise<RunReport> =>
    runSuite(tracefs, {
      scenarios: plan.scenarios,
      kinds,
      durationMs: plan.durationMs,
      scenarioTimeoutMs: plan.scenarioTimeoutMs,
      threads: plan.threads,
      allowRemount: !!o.allowRemount,
      onTeardown,
      bail: !!o.bail,
      ...(plan.expect ? { expect: plan.expect } : {}),
      ...(knownBugs ? { knownBugs } : {}),
      ...(plan.reproDir ? { reproDir: plan.reproDir } : {}),
      ...(iteration !== undefined ? { iteration } : {}),
      ...(hooks.invertCheck !== undefined ? { testHooks: { invertCheck: hooks.invertCheck } } : {}),
      signal: abort.signal,
      ...liveHooks(o, plan, progress, journal, hooks.panicAfter, iteration, ktap?.stream),
    });
  try {
    report = plan.repeat ? await repeatSuite(suite, plan.repeat, o, plan, abort.signal) : await suite();
    if (plan.reproDir) report.reproDir = plan.reproDir;
    journal?.close();
    // Interrupted or not, the same report (its not-run variants included) through the same fd.
    try {
      if (ktap) finishKtap(ktap, report);
      else emit(report, plan.format, plan.output, { skipLive: true });
      // A machine format on stdout: the live lines went to stderr, so does the repeat summary (--output prints its recap).
      if (report.repeat && plan.format !== 'pretty' && !plan.output)
        process.stderr.write(repeatLine(report.repeat) + '\n');
      if (journalFailure) throw new EnvironmentError(`--journal ${plan.journal?.file}: ${journalFailure}`);
    } catch (e) {
      if (!abort.signal.aborted || !(e instanceof EnvironmentError)) throw e;
      // Teardown exits 129/130/143 as soon as the hook returns: say it here, not in main.
      process.stderr.write(`tracefs-regress: ${e.message}\n`);
    }
  } finally {
    setInterruptHook(undefined);
    reported();
  }
  return abort.signal.aborted ? exitForSignal(abort.signal.reason) : exitCodeFor(report);
}

/** A streamed KTAP document and the names its plan promises, in order. */
interface KtapRun {
  stream: KtapStream;
  planned: string[];
  /** The --output file (published at the start, finished at the end); undefined on stdout. */
  file?: OutputFile;
  /** The errno of the first write to the file that failed (later text dropped). */
  failed: { code?: string };
}

/**
 * Every result's name, in the order they will come: scenarios x kinds, times N
 * with --repeat N (the names carry `@<iteration>`). Undefined with --until-fail,
 * where how many iterations run is not known before the run.
 */
function plannedNames(plan: RunPlan, kinds: ProbeKind[]): string[] | undefined {
  const one = plan.scenarios.flatMap((s) => kinds.map((k) => `${s.id}[${k}]`));
  if (!plan.repeat) return one;
  if (plan.repeat.untilFail) return undefined;
  return Array.from({ length: plan.repeat.count }, (_, i) => one.map((n) => iterationName(n, i + 1))).flat();
}

/**
 * `--format ktap`: the version and plan go out now, before anything runs; with
 * --until-fail the plan line is omitted (KTAP allows it when the count is not
 * known). Results then stream through the same fd: stdout, or the --output file.
 */
function startKtap(plan: RunPlan, planned: string[] | undefined, env: ReturnType<typeof runEnvironment>): KtapRun {
  const file = plan.output;
  // The old report stays under a hidden name until the stream ends, so a failed write can put it back.
  file?.publish({ keepOld: true });
  const failed: KtapRun['failed'] = {};
  const stream = new KtapStream(file ? fdSink(file.fd, (code) => (failed.code ??= code)) : fdSink(1, stdoutFailed));
  stream.begin(planned?.length, { name: 'tracefs-regress', version: toolVersion() }, env);
  return { stream, planned: planned ?? [], failed, ...(file ? { file } : {}) };
}

/**
 * The rest of a streamed KTAP document: variants that never ran, notes,
 * totals; the --output file closed. A file whose write failed is taken back
 * (the old one restored) and the whole document goes to stdout instead.
 */
function finishKtap(k: KtapRun, report: RunReport): void {
  k.stream.finish(report, k.planned);
  if (!k.file) return;
  if (k.failed.code !== undefined) {
    const left = k.file.fail();
    writeStdout(render('ktap', report, { color: false, describe: describeScenario }));
    throw new EnvironmentError(
      `--output ${k.file.file}: write failed (${k.failed.code}); ${left}; the report went to stdout instead`,
    );
  }
  k.file.finish();
  // the human still gets the totals
  process.stderr.write(render('pretty', report, { color: false, liveShown: true }));
}

/** Where the live lines go: machine formats on stdout keep them on stderr; pretty prints live to stdout. */
function liveStream(plan: RunPlan): NodeJS.WriteStream {
  return plan.format === 'pretty' && !plan.output ? process.stdout : process.stderr;
}

/**
 * --repeat / --until-fail: the whole selection again and again (each iteration its own
 * runSuite: ownership, teardown, not-run variants on a signal), a line per iteration
 * as it ends, then one merged report (src/report/repeat.ts).
 */
async function repeatSuite(
  suite: (iteration: number) => Promise<RunReport>,
  repeat: RepeatPlan,
  o: RunOpts,
  plan: RunPlan,
  signal: AbortSignal,
): Promise<RunReport> {
  const liveTo = liveStream(plan);
  const iterations: IterationRun[] = [];
  const reason = () => (typeof signal.reason === 'string' ? signal.reason : 'an abort');
  while (!signal.aborted && wantsAnother(iterations, repeat, !!o.bail)) {
    const report = await suite(iterations.length + 1);
    iterations.push({ report, ...(signal.aborted ? { signal: reason() } : {}) });
    const s = summarizeRepeat(iterations, repeat);
    liveTo.write(iterationLine(s.iterations.at(-1)!, s, useColor(liveTo)) + '\n');
  }
  return mergeIterations(iterations, repeat, signal.aborted ? reason() : undefined);
}

/** What the run shows and journals as it goes: a status line per scenario, a line per result. */
function liveHooks(
  o: RunOpts,
  plan: RunPlan,
  progress: ProgressLine,
  journal: JournalWriter | undefined,
  panicAfter: number | undefined,
  iteration?: number,
  ktap?: KtapStream,
): Pick<SuiteOptions, 'hooks' | 'onStart' | 'onResult'> {
  const liveTo = liveStream(plan);
  let resultsSoFar = 0;
  // A repeated run names each result by its iteration, live and in the journal as in the report.
  const named = (n: string) => (iteration === undefined ? n : iterationName(n, iteration));
  return {
    hooks: { log: (m) => o.verbose && progress.print(`  ${m}`), progress: (l) => progress.update(l) },
    onStart: (plainName, scenario) => {
      const name = named(plainName);
      journal?.write({
        type: 'running',
        name,
        at: new Date().toISOString(),
        ...(scenario.race ? { expectMs: plan.durationMs } : {}),
      });
      progress.status(`${name} ...`);
    },
    onResult: (plain) => {
      const r = iteration === undefined ? plain : { ...plain, name: named(plain.name), iteration };
      journal?.write({ type: 'result', result: r });
      ktap?.result(r);
      panicForTest(++resultsSoFar, panicAfter);
      progress.clear();
      liveTo.write(liveLine(r, { verbose: !!o.verbose, color: useColor(liveTo) }) + '\n');
    },
  };
}

/**
 * TEST HOOK (test/vm/70.ktap-stream.test.ts): crash the guest kernel through
 * sysrq once `after` results are reported, to show that a guest dying
 * mid-suite leaves the results it had sent. `after` is set only in a guest
 * the tool booted (vm/guest/token.ts), never on a host.
 */
function panicForTest(reported: number, after: number | undefined): void {
  if (after !== undefined && reported === after) fs.writeFileSync('/proc/sysrq-trigger', 'c');
}

/**
 * The shipped known crashers and every --expect file, validated against the
 * catalogue before tracefs is touched.
 */
function expectOptions(o: RunOpts): ExpectationOptions {
  if (o.ignoreSkips && o.expect.length === 0)
    throw new UsageError(
      `--ignore-skips goes with --expect FILE: it runs what the file's skip entries keep from running (the known crashers run with ${RUN_KNOWN_CRASHERS})`,
    );
  const ids = CATALOGUE.map((s) => s.id);
  const given = o.expect.flatMap((f) => loadExpectations(f, ids));
  if (o.ignoreKnownCrashers) return { entries: given.filter((e) => !e.crasher), ignoreSkips: !!o.ignoreSkips };
  const runKnownCrashers = !!o.runKnownCrashers;
  let shipped: ReturnType<typeof shippedCrashers> = [];
  try {
    shipped = shippedCrashers(ids);
  } catch (e) {
    // Without the list nothing can be kept from running; asked to run them all anyway, that is no loss.
    if (!runKnownCrashers) throw e;
  }
  return { entries: withShippedCrashers(shipped, given), ignoreSkips: !!o.ignoreSkips, runKnownCrashers };
}

/**
 * The report to --output (through the fd opened before the run) or stdout. A
 * write that fails is an EnvironmentError (exit 2) after the report went to
 * stdout instead, so it is never lost.
 */
export function emit(
  report: RunReport,
  format: Format,
  output: OutputFile | undefined,
  opts: { skipLive?: boolean; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {},
): void {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  // Live lines went to stdout only without --output: only then is the recap enough.
  const liveShown = !!opts.skipLive && format === 'pretty' && !output;
  const text = render(format, report, {
    color: !output && useColor(stdout as { isTTY?: boolean }),
    liveShown,
    describe: describeScenario,
  });
  // lkml: a run without a FAIL has no mail to write.
  if (format === 'lkml' && text === '') stderr.write(nothingToReport([report]) + '\n');
  if (!output) {
    writeStdout(text, stdout);
    return;
  }
  try {
    output.writeAndClose(text);
  } catch (e) {
    if (!(e instanceof EnvironmentError)) throw e;
    writeStdout(text, stdout);
    throw new EnvironmentError(`${e.message}; the report went to stdout instead`);
  }
  // the human still gets the totals
  if (format !== 'pretty') stderr.write(render('pretty', report, { color: false, liveShown: true }));
}
