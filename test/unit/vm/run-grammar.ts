// SPDX-License-Identifier: GPL-2.0-only
// `run`'s grammar as cli/commands/vm.ts hands it to the VM runner.
import { runCommand } from '../../../src/cli/commands/run.js';
import { colorOption } from '../../../src/cli/main.js';
import type { RunGrammar } from '../../../src/vm/run-args.js';

export const RUN_GRAMMAR: RunGrammar = () => runCommand().addOption(colorOption());
