// tracefs-regress: regression scenarios for stale dentries of removed
// dynamic events in tracefs. Exit codes: 0 passed, 1 failed, 2 usage or
// environment error, 4 nothing runnable (kselftest's skip).
import { Command, CommanderError } from 'commander';
import { runCommand } from './commands/run.js';
import { listCommand } from './commands/list.js';
import { doctorCommand } from './commands/doctor.js';
import { cleanupCommand } from './commands/cleanup.js';
import { vmCommand } from './commands/vm.js';
import { kernelCommand } from './commands/kernel.js';
import { EXIT, UsageError } from './errors.js';
import { NameError } from '../probes/names.js';
import { runTeardown } from '../runner/teardown.js';
import { toolVersion } from '../runner/version.js';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('tracefs-regress')
    .description('prove that files of a removed dynamic event in tracefs cannot be reached again')
    .version(toolVersion())
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(`tracefs-regress: ${s.replace(/^error: /, '')}`) })
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(runCommand())
    .addCommand(listCommand())
    .addCommand(doctorCommand())
    .addCommand(cleanupCommand())
    .addCommand(vmCommand())
    .addCommand(kernelCommand());
  // addCommand() does not pass these on: every subcommand reports errors the same way.
  const inherit = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput(program.configureOutput()).showHelpAfterError('(run with --help for usage)');
      inherit(sub);
    }
  };
  inherit(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; unknown options and commands are usage errors
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError || e instanceof NameError) {
      process.stderr.write(`tracefs-regress: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`tracefs-regress: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.failed;
  } finally {
    for (const err of runTeardown()) process.stderr.write(`tracefs-regress: cleanup: ${err}\n`);
  }
}
