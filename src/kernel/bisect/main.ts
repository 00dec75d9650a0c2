// The two commands' bodies, apart from their commander definitions
// (cli/commands/kernel.ts): exit codes decided here, in one place.
import path from 'node:path';
import type { ResultPromise } from 'execa';
import { EXIT, isReportedError } from '../../errors.js';
import { renderBisect, runBisect, type BisectOptions } from './run.js';
import { checkStep, DEFAULT_STEP_TIMEOUT_S, parseStepArgs, runStep, stepLine, STEP_ABORT, STEP_USAGE, type StepOptions } from './step.js';
import { STEP } from './outcome.js';

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
  let signal: NodeJS.Signals | undefined;
  let child: ResultPromise | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    signal ??= sig;
    child?.kill('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const s = await runStep(o, top, { root, say: log, onChild: (c) => (child = c), stopped: () => !!signal });
    if (signal) {
      log(`${signal}: stopped at ${s.commit.slice(0, 12)} (exit ${STEP_ABORT}: aborts git bisect run)`);
      return STEP_ABORT;
    }
    process.stdout.write(`${stepLine(s)}\n`);
    return s.code;
  } catch (e) {
    if (signal) return STEP_ABORT;
    log(`unexpected error, skipping this commit (exit ${STEP.skip}): ${(e as Error).stack ?? String(e)}`);
    return STEP.skip;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
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
