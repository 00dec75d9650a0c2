// SPDX-License-Identifier: GPL-2.0-only
// tracefs-regress: regression scenarios for stale dentries of removed
// dynamic events in tracefs. Exit codes: 0 passed, 1 failed, 2 usage or
// environment error, 4 nothing runnable (kselftest's skip).
import { Command, CommanderError, Option } from 'commander';
import { EXIT, errorReport } from '../errors.js';
import { runTeardown } from '../runner/teardown.js';
import { toolVersion } from '../package.js';
import { COLOR_MODES, setColorMode, type ColorMode } from '../util/color.js';
import { guardStdio, settleStdout, stdoutFailure, stdoutFailureLine } from '../util/output.js';

/**
 * Each command's module graph is loaded only when that command runs: inside a
 * TCG guest every module read over 9p costs ~50 ms, and `run` needs none of
 * the VM runner's or kernel builder's modules. Help lists them all.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  // In two steps: Node's loader opens a graph's files at once, and run's whole graph at once
  // overran a 64-fd limit (EMFILE) before run's own fd check could say what limit it needs.
  run: async () => {
    await import('../report/index.js');
    return (await import('./commands/run.js')).runCommand();
  },
  list: async () => (await import('./commands/list.js')).listCommand(),
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand(),
  cleanup: async () => (await import('./commands/cleanup.js')).cleanupCommand(),
  vm: async () => (await import('./commands/vm.js')).vmCommand(),
  kernel: async () => (await import('./commands/kernel.js')).kernelCommand(),
  report: async () => (await import('./commands/report.js')).reportCommand(),
  explore: async () => (await import('./commands/explore.js')).exploreCommand(),
};

/** --color on every command; under auto, FORCE_COLOR and NO_COLOR decide before the terminal does. */
export function colorOption(): Option {
  return new Option('--color <when>', 'ANSI colour; auto: on a terminal unless NO_COLOR is set (FORCE_COLOR forces it)')
    .choices(COLOR_MODES)
    .default('auto');
}

async function commandsFor(argv: string[]): Promise<Command[]> {
  const named = argv.slice(2).find((a) => !a.startsWith('-'));
  const pick = named && COMMANDS[named] ? [named] : Object.keys(COMMANDS);
  return Promise.all(pick.map((n) => COMMANDS[n]!()));
}

/** The whole command tree for argv (only the named command's modules, or all of them for help). */
export async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('tracefs-regress')
    .description('prove that files of a removed dynamic event in tracefs cannot be reached again')
    .version(toolVersion())
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(`tracefs-regress: ${s.replace(/^error: /, '')}`) })
    .showHelpAfterError('(run with --help for usage)')
    // Each command parses its own options: `report merge FILES -f json` is merge's -f, not report's.
    .enablePositionalOptions();
  for (const cmd of await commandsFor(argv)) program.addCommand(cmd);
  // addCommand() does not pass these on: every subcommand reports errors the same way,
  // and every command that does something takes --color (one decision: util/color.ts):
  // a leaf, or one with arguments of its own beside its subcommands (report FILE, report merge).
  const inherit = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput(program.configureOutput()).showHelpAfterError('(run with --help for usage)');
      if (sub.commands.length === 0 || sub.registeredArguments.length > 0) sub.addOption(colorOption());
      inherit(sub);
    }
  };
  inherit(program);
  program.hook('preAction', (_program, action) => setColorMode((action.opts().color as ColorMode) ?? 'auto'));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  guardStdio();
  const code = await runProgram(argv);
  // A reader gone (`| head -1`) or a full disk under `> file`: the run went on; say it once, exit 2.
  await settleStdout();
  const lost = stdoutFailure();
  if (lost === undefined || (code !== EXIT.ok && code !== EXIT.failed && code !== EXIT.skip)) return code;
  process.stderr.write(`tracefs-regress: ${stdoutFailureLine(lost)}\n`);
  return EXIT.usage;
}

/** EMFILE/ENFILE while the command's modules load: no fd is left to load the tool itself. */
function outOfFdsLoading(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EMFILE' || code === 'ENFILE';
}

async function runProgram(argv: string[]): Promise<number> {
  let program: Command;
  try {
    program = await buildProgram(argv);
  } catch (e) {
    if (!outOfFdsLoading(e)) throw e;
    // The tool's own failure, never a crash: say the limit to raise (races need more: run says how many).
    process.stderr.write(
      `tracefs-regress: out of file descriptors while loading (${(e as NodeJS.ErrnoException).code}): ` +
        'raise the fd limit: ulimit -n 1024\n',
    );
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; unknown options and commands are usage errors
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const { text, code } = errorReport(e);
    process.stderr.write(text);
    return code;
  } finally {
    for (const err of runTeardown()) process.stderr.write(`tracefs-regress: cleanup: ${err}\n`);
  }
}
