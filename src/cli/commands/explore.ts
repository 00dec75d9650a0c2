// SPDX-License-Identifier: GPL-2.0-only
// `tracefs-regress explore`: random tracefs lifecycle programs judged by a
// reference model and the kernel's health, KCOV-guided where the kernel has
// it. In a guest by default: an explorer on the host's own kernel is a crash
// waiting to happen, so exploring this machine takes --here. Only the option
// definitions live here; the implementation loads when the command runs.
import crypto from 'node:crypto';
import { Command, Option } from 'commander';
import { TIME_HELP } from '../../util/time.js';
import { DEFAULT_DURATION, DEFAULT_KERNEL, type ExploreCliOptions } from '../../explore/options.js';

export function exploreCommand(): Command {
  return new Command('explore')
    .description(
      'explore tracefs lifecycles with random programs (every step judged by a model, the kernel by its health) in a QEMU guest; ' +
        'a finding is shrunk to a C reproducer and verified in a fresh guest (docs/explore.md)',
    )
    .option('-k, --kernel <path|debian:spec>', `the guest's kernel, as vm --kernel (default: ${DEFAULT_KERNEL})`)
    .option(
      '--clean-kernel <path|debian:spec>',
      "also run a finding's reproducer on this kernel, where it must NOT reproduce",
    )
    .option(
      '--seed <n>',
      "the run's seed, 0..4294967295 (default: random, printed): the same seed, kernel and budget repeat the run",
    )
    .option('--duration <time>', `exploring time in the guest (${TIME_HELP})`, DEFAULT_DURATION)
    .option('--programs <n>', 'stop after this many programs')
    .option('--keep-going', 'go on after a finding (default: stop at the first)')
    .option('--blind', 'no KCOV guidance even where the kernel has it')
    .option('-o, --out <dir>', 'where the report, programs, console log and reproducers go (default: ./explore-<seed>)')
    .option('--no-verify', "don't run a finding's reproducer in a fresh guest")
    .option('--cpus <n>', "guest CPUs (vm's default)")
    .option('--memory <size>', "guest memory (vm's default)")
    .option('--timeout <time>', `kill the guest after this long (${TIME_HELP}; default: the duration plus 10 minutes)`)
    .option('--append <args>', 'extra guest kernel command-line arguments')
    .addOption(
      new Option(
        '--tcg <mode>',
        "TCG threading, as vm's (single never overlaps two guest syscalls: races then prove little)",
      ).choices(['single', 'multi']),
    )
    .option(
      '--coverage <dir>',
      "the kernel's gcov coverage of each exploring guest, as vm --coverage, to DIR/guest-N (a kernel build --coverage kernel)",
    )
    .option(
      '--here',
      "explore THIS machine's kernel instead of a guest (what the guest itself runs): a finding may crash it; for throwaway VMs",
    )
    .addOption(new Option('--stream', 'JSON lines on stdout for the host (the guest side of explore)').hideHelp())
    .action(async (o: ExploreCliOptions) => {
      const [{ planExplore }, { runExplore }, { ProgressLine }] = await Promise.all([
        import('../../explore/options.js'),
        import('../../explore/main.js'),
        import('../progress.js'),
      ]);
      const plan = planExplore(o, () => crypto.randomBytes(4).readUInt32LE(0));
      process.exitCode = await runExplore(plan, new ProgressLine(process.stderr));
    });
}
