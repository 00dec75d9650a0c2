// SPDX-License-Identifier: GPL-2.0-only
// `tracefs-regress vm`: boot real kernels in QEMU and run the suite inside,
// one kernel after another; print the report(s) and a kernel x scenario table.
// Only the option definitions live here: the implementation (execa, apt,
// qemu) is imported when the command runs, because every other command -- the
// guest's own `run` under TCG above all -- pays for each module it loads.
import { Command, Option } from 'commander';
import { repeatable } from '../parse.js';
import { TIME_HELP } from '../../util/time.js';
import { DEFAULT_VM_CPUS, type VmOpts } from '../../vm/options.js';

export function vmCommand(): Command {
  return new Command('vm')
    .description('boot kernels in QEMU and run the suite inside each (as root in the guest); -- passes run options')
    .addOption(
      repeatable(
        '-k, --kernel <path|debian:spec>',
        'bzImage, or debian:<series> (newest bootable: 6.18), debian:<release> (6.18.12, 6.12.90+deb12, 6.1.0-57), ' +
          'debian:<series>.* (every release), debian:<from>..<to> (6.16..7.3: every bootable release between), debian:latest; ' +
          'repeat for a matrix (`kernel list --debian` shows the releases)',
        'debian:6.12',
      ),
    )
    .addOption(
      new Option('--matrix <set>', 'run a set of kernels one after another (debian: 6.1, 6.12, 6.18, latest)').choices([
        'debian',
      ]),
    )
    .option(
      '--boots <n>',
      'boot each kernel N times (1..100): one report per boot, races judged over the N (caught k/N)',
    )
    .option(
      '--shard <i/n>',
      "boot only the i-th of n contiguous shares of the kernel x boot cells (CI matrix jobs); `report merge` joins the shards' JSON",
    )
    .option('--modules <dir>', "a custom kernel's modules tree (lib/modules/<release> or an install root)")
    .option('--append <args>', 'extra kernel command-line arguments')
    .option('--memory <size>', 'guest memory', '2G')
    .option('--cpus <n>', 'guest CPUs', String(DEFAULT_VM_CPUS))
    .option('--timeout <time>', `kill a guest that runs longer, reported as TIMEOUT (${TIME_HELP})`, '20m')
    .option(
      '--repro-dir <dir>',
      "the guest's run writes a C reproducer per FAIL (run --repro-dir); copied back here, DIR/<kernel> for several kernels",
    )
    .option(
      '--coverage <dir>',
      "with a `kernel build --coverage` kernel: after the run, the guest's gcov data to DIR/coverage.info (lcov, branches too) and DIR/html/ (genhtml), and a per-file summary (needs lcov)",
    )
    .option('--keep-log <file>', 'copy the serial console log here (a matrix adds .<kernel>)')
    .addOption(
      new Option(
        '--tcg <mode>',
        'TCG threading when KVM is unusable (default: multi with QEMU >= 8.1, which vm fetches from bookworm-backports when the system QEMU is older; else single)',
      ).choices(['single', 'multi']),
    )
    .option('--install-deps', 'apt-get install the missing VM prerequisites (root, Debian-like)')
    .option('--fetch-only', 'fetch and cache the kernels, boot nothing (CI cache warm-up)')
    .option('-v, --verbose', 'also print the guest kernel console during boot')
    .option(
      '--exec <path>',
      "run this host program in the guest instead of the suite (one kernel); the arguments (after --) are the program's; " +
        "its stdout/stderr stream back, its exit status is vm's (1 on a kernel oops/panic or timeout, 2 if the guest can't start it)",
    )
    .addOption(
      // Test-facing (hidden): boot a kernel that has modules the way a vmlinuz-only release boots (docs/vm-boot.md).
      new Option(
        '--self-contained',
        'no 9p: node and the suite in the initramfs, results over a virtio console',
      ).hideHelp(),
    )
    .argument(
      '[run-args...]',
      "options for `run` inside the guest (after --), e.g. -- --scenario removed-* --format ktap; with --exec, the program's arguments",
    )
    .action(async (runArgs: string[], o: VmOpts) => {
      const [{ runVm }, { runCommand }, { colorOption }] = await Promise.all([
        import('../../vm/run-vm.js'),
        import('./run.js'),
        import('../main.js'),
      ]);
      // The guest's `run` as main.ts builds it: vm reads the arguments after -- with run's own grammar.
      process.exitCode = await runVm(runArgs, o, () => runCommand().addOption(colorOption()));
    });
}
