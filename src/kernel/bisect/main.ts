// SPDX-License-Identifier: GPL-2.0-only
// The two commands' bodies, apart from their commander definitions
// (cli/commands/kernel.ts): exit codes decided here, in one place.
import path from 'node:path';
import { EXIT, exitForSignal, isReportedError, STOP_SIGNALS } from '../../errors.js';
import { interruptScope } from '../../util/interrupt.js';
import { renderBisect, runBisect, type BisectOptions } from './run.js';
import { checkStep, DEFAULT_STEP_TIMEOUT_S, parseStepArgs, runStep, stepLine, STEP_ABORT, STEP_USAGE, type StepOptions } from './step.js';
import { STEP } from './outcome.js';
import { checkOutputWritable, OutputFile } from '../../util/output.js';
import { parseVmTimeout } from '../../vm/options.js';
import type { DebianRelease } from '../../vm/kernels/debian-releases.js';
import { archiveSelection, bootRelease, type BootIo } from './release-boot.js';
import {
  bisectReleases,
  DEFAULT_RELEASE_BOOTS,
  guestRunArgs,
  parseBoots,
  renderReleaseBisect,
  type BisectSelection,
} from './releases.js';
import type { Boot } from './search.js';

const say = (prefix: string) => (m: string) => process.stderr.write(`${prefix}: ${m}\n`);

/**
 * `kernel bisect-step`: 0 good, 1 bad, 125 skip; STEP_ABORT for what would
 * hold at every commit (bad options, no build tools, not a git tree) and for
 * a signal (the user is stopping the bisect). An unexpected error skips.
 */
export async function bisectStepMain(raw: string[], root: string): Promise<number> {
  const log = say('bisect-step');
  let o: StepOptions | undefined;
  let top: string;
  try {
    o = parseStepArgs(raw);
    if (!o) {
      process.stdout.write(STEP_USAGE);
      return EXIT.ok;
    }
    top = await checkStep(o);
  } catch (e) {
    log(`${isReportedError(e) ? e.message : String(e)} (exit ${STEP_ABORT}: aborts git bisect run)`);
    return STEP_ABORT;
  }
  const stop = interruptScope({ signals: ['SIGINT', 'SIGTERM'] });
  try {
    const s = await runStep(o, top, { root, say: log, signal: stop.signal });
    if (stop.received) {
      log(`${stop.received}: stopped at ${s.commit.slice(0, 12)} (exit ${STEP_ABORT}: aborts git bisect run)`);
      return STEP_ABORT;
    }
    process.stdout.write(`${stepLine(s)}\n`);
    return s.code;
  } catch (e) {
    if (stop.received) return STEP_ABORT;
    log(`unexpected error, skipping this commit (exit ${STEP.skip}): ${(e as Error).stack ?? String(e)}`);
    return STEP.skip;
  } finally {
    stop.dispose();
  }
}

/** `kernel bisect`: 0 found, 1 could not decide (or the tree was not left as found), 2 usage, 130/143 stopped. */
export async function bisectMain(o: BisectOptions & { timeout?: string }, runArgs: string[], root: string): Promise<number> {
  const stepArgs = ['--timeout', o.timeout ?? String(DEFAULT_STEP_TIMEOUT_S), '--', ...runArgs];
  const out = await runBisect(o, {
    say: say('bisect'),
    print: (s) => process.stdout.write(s),
    stepCommand: (top) => [process.execPath, path.join(root, 'bin/tracefs-regress.js'), 'kernel', 'bisect-step', '--source', top, ...stepArgs],
    checkStep: async (top) => {
      // The step's own checks, before the tree is touched: its usage errors are this command's (exit 2).
      const s = parseStepArgs(['--source', top, ...stepArgs])!;
      await checkStep(s);
    },
  });
  process.stdout.write(renderBisect(out, path.resolve(o.source)));
  return out.exitCode;
}

export interface ReleaseBisectCli {
  releases: string;
  boots?: string;
  timeout?: string;
  json?: string;
}

/** What `kernel bisect --releases` needs from outside: the real archive and `vm` by default, fakes in tests. */
export interface ReleaseBisectDeps {
  releases: (spec: string, say: (m: string) => void) => Promise<BisectSelection>;
  boot: (r: DebianRelease, boot: number, io: BootIo) => Promise<Boot>;
  say: (m: string) => void;
  print: (s: string) => void;
}

const realDeps: ReleaseBisectDeps = {
  releases: archiveSelection,
  boot: bootRelease,
  say: say('bisect'),
  print: (s) => process.stdout.write(s),
};

/**
 * `kernel bisect --releases`: 0 answered (a change found, or none in range),
 * 1 could not decide, 2 bad input (before any boot), 129/130/143 stopped
 * (the steps so far are printed and written).
 */
export async function releaseBisectMain(
  o: ReleaseBisectCli,
  runArgs: string[],
  root: string,
  deps: Partial<ReleaseBisectDeps> = {},
): Promise<number> {
  const d = { ...realDeps, ...deps };
  const boots = parseBoots(o.boots ?? String(DEFAULT_RELEASE_BOOTS));
  const timeout = o.timeout ?? String(DEFAULT_STEP_TIMEOUT_S);
  parseVmTimeout(timeout);
  const guestArgs = guestRunArgs(runArgs);
  const json = o.json && o.json !== '-' ? o.json : undefined;
  if (json) checkOutputWritable(json, '--json');
  const stop = interruptScope({
    signals: STOP_SIGNALS,
    onSignal: (sig) => d.say(`${sig}: stopping the bisect after the running boot is ended; the steps so far follow`),
  });
  let report;
  try {
    report = await bisectReleases(
      { spec: o.releases, boots, timeout, runArgs },
      {
        releases: (spec) => d.releases(spec, d.say),
        boot: (r, b) => {
          d.say(`booting ${r.abi} (boot ${b + 1}/${boots})`);
          return d.boot(r, b, { root, timeout, guestArgs, say: d.say, signal: stop.signal });
        },
        say: d.say,
        stopped: () => stop.received,
      },
    );
  } finally {
    stop.dispose();
  }
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (json) OutputFile.open(json, '--json').writeAndClose(text);
  d.print(o.json === '-' ? text : renderReleaseBisect(report));
  if (stop.received) return exitForSignal(stop.received);
  return report.result.kind === 'change' || report.result.kind === 'none' ? EXIT.ok : EXIT.failed;
}
