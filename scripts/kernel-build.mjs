#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// `tracefs-regress kernel <build|list|config|mutants> ...` without going
// through the main CLI: the same command object, for CI scripts that build a
// kernel before the package's bin is wired. Needs dist/ (npm run build).
import { Command, CommanderError } from 'commander';
import { kernelCommand } from '../dist/cli/commands/kernel.js';
import { isReportedError } from '../dist/errors.js';

const program = new Command('kernel-build').exitOverride().addCommand(kernelCommand(), { isDefault: true });
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 2;
  else if (isReportedError(e)) {
    process.stderr.write(`tracefs-regress kernel: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`tracefs-regress kernel: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
