// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { buildKernel } from '../../kernel/build.js';
import { fragmentFiles } from '../../kernel/configure.js';
import { readMutants } from '../../kernel/patches.js';
import { buildPaths, buildsRoot, readMeta } from '../../kernel/tree.js';
import {
  DEFAULT_RACE_RUNS,
  DEFAULT_TIMEOUT,
  MAX_RACE_RUNS,
  parseSelftestOptions,
  type SelftestFlags,
} from '../../kernel/selftest/options.js';
import { repeatable } from '../parse.js';
import { TIME_HELP } from '../../util/time.js';
import { DEFAULT_STEP_TIMEOUT_S, STEP_ABORT } from '../../kernel/bisect/step.js';
import { DEFAULT_RELEASE_BOOTS } from '../../kernel/bisect/releases.js';
import { EXIT, EnvironmentError, UsageError } from '../../errors.js';
import { packageRoot } from '../../package.js';

interface BuildOpts {
  name?: string;
  source?: string;
  series: string;
  refresh?: boolean;
  base: 'tiny' | 'defconfig';
  kasan?: boolean;
  coverage?: boolean;
  patch: string[];
  config: string[];
  jobs?: string;
  fresh?: boolean;
  configOnly?: boolean;
  quiet?: boolean;
}

function buildSub(): Command {
  return new Command('build')
    .description(
      'build an x86_64 bzImage for `vm --kernel` (everything built in, no modules) under ~/.cache/tracefs-regress/build/<name>; prints its path',
    )
    .option(
      '--name <name>',
      'build name, one directory each (default: from base, --kasan and patch names, e.g. tiny-kasan)',
    )
    .option(
      '--source <dir>',
      "a kernel source tree to build (default: Debian's linux-source-<series>, fetched with apt-get download)",
    )
    .option('--series <x.y>', 'Debian linux-source series when no --source is given', '6.12')
    .option('--refresh', "fetch the archive's newest linux-source even when one is already extracted")
    .addOption(
      new Option(
        '--base <base>',
        'starting config: tinyconfig (~6 min cold) or x86_64_defconfig + kvm_guest.config (~17 min)',
      )
        .choices(['tiny', 'defconfig'])
        .default('tiny'),
    )
    .option('--kasan', 'add kernel/kasan.config: generic inline KASAN')
    .option(
      '--coverage',
      'add kernel/coverage.config (gcov + KCOV) and instrument only fs/tracefs/ and the trace-event, dynamic-event, probe and trigger objects of kernel/trace/ (default name tiny-coverage); for `vm --coverage DIR`',
    )
    .addOption(repeatable('--patch <file>', 'apply a patch (-p1) to a copy of the tree first, repeatable, in order'))
    .addOption(repeatable('--config <fragment>', "an extra config fragment merged after the project's, repeatable"))
    .option('-j, --jobs <n>', 'make -j (default: up to 2; the machine is usually shared)')
    .option('--fresh', 'start from an empty object dir (ccache still applies)')
    .option(
      '--config-only',
      'stop after the config is merged and checked; print the .config path (does this tree take the fragment?)',
    )
    .option('-q, --quiet', 'print only the bzImage path')
    .action(async (o: BuildOpts) => {
      const jobs = o.jobs === undefined ? undefined : Number(o.jobs);
      if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1 && jobs <= 256)) {
        throw new UsageError(`--jobs ${o.jobs}: give a whole number from 1 to 256`);
      }
      const log = o.quiet ? () => {} : (m: string) => process.stderr.write(`kernel: ${m}\n`);
      const r = await buildKernel({
        name: o.name,
        source: o.source,
        series: o.series,
        refreshSource: o.refresh,
        base: o.base,
        kasan: o.kasan,
        coverage: o.coverage,
        patches: o.patch,
        fragments: o.config,
        jobs,
        fresh: o.fresh,
        configOnly: o.configOnly,
        log,
      });
      if (o.configOnly) {
        log(`config of '${r.name}' checked in ${r.seconds} s`);
        process.stdout.write(`${r.config}\n`);
        return;
      }
      log(`built '${r.name}' (${r.meta.kernelVersion}, ${r.how}) in ${r.seconds} s`);
      process.stdout.write(`${r.bzImage}\n`);
      process.exitCode = EXIT.ok;
    });
}

function listSub(): Command {
  return new Command('list')
    .description(
      "list the kernels built so far; with --debian, the Debian archive's releases for `vm --kernel debian:<release>` " +
        '(series, package version, cached or not, bootable or what the archive lacks)',
    )
    .option('--debian', "list the Debian archive's kernel releases (the private package lists, updated when a day old)")
    .option('--series <x.y>', 'with --debian: only this series')
    .option('--json', 'with --debian: one JSON document ({listsUpdated, releases: [...]})')
    .action(async (o: { debian?: boolean; series?: string; json?: boolean }) => {
      if (!o.debian && (o.series !== undefined || o.json))
        throw new UsageError(
          `${o.json ? '--json' : '--series'} goes with --debian (kernel list --debian ${o.json ? '--json' : '--series X'})`,
        );
      if (o.debian) {
        const { debianListing, listingTable } = await import('../../vm/kernels/debian-list.js');
        const l = await debianListing({ series: o.series, log: (m) => process.stderr.write(`kernel: ${m}\n`) });
        process.stdout.write(o.json ? JSON.stringify(l, null, 2) + '\n' : listingTable(l));
        return;
      }
      const root = buildsRoot();
      const names = fs.existsSync(root) ? fs.readdirSync(root).sort() : [];
      for (const n of names) {
        const m = readMeta(n);
        if (!m) continue;
        const patches = m.patches.map((p) => path.basename(p.file)).join(',') || '-';
        const state = m.complete ? `${m.seconds ?? '?'} s` : 'incomplete';
        process.stdout.write(
          `${n}\t${m.kernelVersion}\t${m.base}${m.kasan ? '+kasan' : ''}\t${patches}\t${state}\t${buildPaths(n).bzImage}\n`,
        );
      }
      if (!names.length) process.stdout.write('no kernels built yet: tracefs-regress kernel build\n');
    });
}

function configSub(): Command {
  return new Command('config')
    .description('print the config fragment(s) a test kernel needs (the same list `kernel build` merges and checks)')
    .option('--kasan', 'include the KASAN fragment')
    .option('--coverage', 'include the coverage fragment (gcov + KCOV)')
    .action((o: { kasan?: boolean; coverage?: boolean }) => {
      for (const f of fragmentFiles({ kasan: !!o.kasan, coverage: !!o.coverage }))
        process.stdout.write(fs.readFileSync(f, 'utf8'));
    });
}

function mutantsSub(): Command {
  return new Command('mutants')
    .description('list the planted regressions (test/mutants/*.patch) and the scenarios each must fail')
    .option('--dir <dir>', "mutant directory (default: the package's own test/mutants)")
    .action((o: { dir?: string }) => {
      for (const m of readMutants(o.dir ?? path.join(packageRoot, 'test/mutants'))) {
        const race = m.race
          ? `  race-only: caught only when ops overlap${m.cmdline ? `; guest cmdline + ${m.cmdline}` : ''}\n`
          : '';
        process.stdout.write(
          `${m.name}\n  undoes: ${m.undoes.join('; ')}\n  expect: ${m.expect.join(', ')}\n${race}  file:   ${m.file}\n`,
        );
      }
    });
}

function selftestSub(): Command {
  return new Command('selftest')
    .description(
      'prove the suite catches the planted regressions: build the clean kernel and every test/mutants/*.patch, boot each in the VM runner, ' +
        'check every mutant fails where its header says (and the clean kernel passes), then compare with ftracetest ' +
        'and check `kernel bisect` names the mutant commit of a synthetic history; ' +
        'exit 0 all as expected, 1 a problem, 2 bad options, 130 stopped',
    )
    .option('--kasan', 'build every kernel with kernel/kasan.config too')
    .addOption(repeatable('--only <mutant>', 'only this mutant (and the clean kernel), repeatable', 'every mutant'))
    .addOption(new Option('--ftracetest', 'run the ftracetest comparison (the default)').hideHelp())
    .option('--no-ftracetest', 'skip the ftracetest comparison (~22 min)')
    .option('--ftracetest-only', 'run only the ftracetest comparison, not the suite')
    .addOption(new Option('--bisect', 'bisect the synthetic history (the default)').hideHelp())
    .option(
      '--no-bisect',
      'skip `kernel bisect` on the synthetic history (a git repo of linux-source + a mutant commit)',
    )
    .option('--bisect-only', 'run only the bisect of the synthetic history (no mutant builds, suite or ftracetest)')
    .option('--timeout <time>', `kill a guest that runs longer (${TIME_HELP})`, DEFAULT_TIMEOUT)
    .option(
      '--race-runs <n>',
      `boots per race-only mutant (Race: yes), each must catch it (1-${MAX_RACE_RUNS})`,
      String(DEFAULT_RACE_RUNS),
    )
    .option(
      '--no-repro',
      "skip the C reproducers (each mutant's and Debian 6.1's, built on the host and run in fresh guests of their kernel and of clean)",
    )
    .option('--out <dir>', 'results directory (default: ~/.cache/tracefs-regress/selftest/<start time>)')
    .action(async (o: SelftestFlags) => {
      const dir = path.join(packageRoot, 'test/mutants');
      if (!fs.existsSync(dir)) {
        const why = 'the self-test runs from a checkout of the repository, not an installed package';
        throw new EnvironmentError(`no ${dir}: ${why}`);
      }
      const mutants = readMutants(dir);
      const names = mutants.map((m) => m.name);
      const opts = parseSelftestOptions(o, names);
      const { runSelftest } = await import('../../kernel/selftest/run.js');
      process.exitCode = await runSelftest(opts, mutants, {
        root: packageRoot,
        say: (m) => process.stderr.write(`selftest: ${m}\n`),
        print: (s) => process.stdout.write(s),
      });
    });
}

function bisectSub(): Command {
  return new Command('bisect')
    .description(
      'git bisect a kernel git tree: each step builds HEAD (same fragment, ccache), boots it with vm and runs the scenarios after --; ' +
        'prints the first bad commit and the bisect log, always ends with git bisect reset; ' +
        'exit 0 found, 1 could not decide, 2 bad options or a tree with local changes (nothing touched), 130 stopped. ' +
        'With --releases debian:<range>: bisect released Debian kernels instead (no build, no tree; docs/bisect-releases.md)',
    )
    .option('--good <rev>', 'a commit where the scenarios pass (git tree bisect)')
    .option('--bad <rev>', 'a commit where they fail (git tree bisect)')
    .option('--source <dir>', 'the kernel git tree (default: the current directory)')
    .option(
      '--releases <spec>',
      "bisect released kernels: debian:<series>.* or debian:<from>..<to> (e.g. 'debian:6.12.*'); binary search for the first change of verdict",
    )
    .option(
      '--boots <n>',
      `with --releases: boots per release; a step is bad on the first failing boot, good after N clean ones (default ${DEFAULT_RELEASE_BOOTS})`,
    )
    .option('--json <file>', "with --releases: write the result and every step's evidence as JSON (- for stdout)")
    .option(
      '--timeout <time>',
      `kill a guest that runs longer (the commit or boot is skipped; ${TIME_HELP})`,
      String(DEFAULT_STEP_TIMEOUT_S),
    )
    .argument(
      '[run-args...]',
      'options for `run` inside the guest (after --), e.g. -- -s removed-files-enoent -p kprobe',
    )
    .action(
      async (
        runArgs: string[],
        o: {
          good?: string;
          bad?: string;
          source?: string;
          timeout: string;
          releases?: string;
          boots?: string;
          json?: string;
        },
      ) => {
        const main = await import('../../kernel/bisect/main.js');
        if (o.releases !== undefined) {
          const git = (['good', 'bad', 'source'] as const).filter((k) => o[k] !== undefined);
          if (git.length)
            throw new UsageError(
              `--releases bisects released kernels, not a git tree: drop ${git.map((k) => `--${k}`).join(', ')}`,
            );
          process.exitCode = await main.releaseBisectMain(
            { releases: o.releases, boots: o.boots, timeout: o.timeout, json: o.json },
            runArgs,
            packageRoot,
          );
          return;
        }
        const only = (['boots', 'json'] as const).filter((k) => o[k] !== undefined);
        if (only.length)
          throw new UsageError(
            `${only.map((k) => `--${k}`).join(' and ')} go${only.length === 1 ? 'es' : ''} with --releases (released kernels)`,
          );
        if (o.good === undefined || o.bad === undefined)
          throw new UsageError(
            "kernel bisect needs --good <rev> and --bad <rev> (a git tree), or --releases debian:<range> (released kernels, e.g. 'debian:6.12.*')",
          );
        process.exitCode = await main.bisectMain(
          { good: o.good, bad: o.bad, source: o.source ?? '.', timeout: o.timeout },
          runArgs,
          packageRoot,
        );
      },
    );
}

function bisectStepSub(): Command {
  // Options parsed by the step itself: commander's usage errors exit 2, which git bisect run would read as "bad".
  return new Command('bisect-step')
    .description(
      'one `git bisect run` step in a kernel git tree: [--source DIR] [--timeout S] -- <run options>; ' +
        `build HEAD, boot it, run the scenarios; exit 0 good, 1 bad, 125 skip, ${STEP_ABORT} abort (--help for details)`,
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (raw: string[]) => {
      const { bisectStepMain } = await import('../../kernel/bisect/main.js');
      process.exitCode = await bisectStepMain(raw, packageRoot);
    });
}

export function kernelCommand(): Command {
  return new Command('kernel')
    .description('build test kernels for `vm --kernel`, with planted regressions for the self-test')
    .addCommand(buildSub())
    .addCommand(listSub())
    .addCommand(configSub())
    .addCommand(mutantsSub())
    .addCommand(selftestSub())
    .addCommand(bisectSub())
    .addCommand(bisectStepSub());
}
