import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { buildKernel } from '../../kernel/build.js';
import { fragmentFiles } from '../../kernel/configure.js';
import { readMutants } from '../../kernel/patches.js';
import { buildPaths, buildsRoot, readMeta } from '../../kernel/tree.js';
import {
  DEFAULT_RACE_RUNS,
  DEFAULT_TIMEOUT_S,
  MAX_RACE_RUNS,
  parseSelftestOptions,
  type SelftestFlags,
} from '../../kernel/selftest/options.js';
import { collect } from '../parse.js';
import { EXIT, EnvironmentError, UsageError } from '../../errors.js';
import { packageRoot } from '../../package.js';

interface BuildOpts {
  name?: string;
  source?: string;
  series: string;
  refresh?: boolean;
  base: 'tiny' | 'defconfig';
  kasan?: boolean;
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
    .option('--patch <file>', 'apply a patch (-p1) to a copy of the tree first, repeatable, in order', collect, [])
    .option('--config <fragment>', "an extra config fragment merged after the project's, repeatable", collect, [])
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
  return new Command('list').description('list the kernels built so far').action(() => {
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
    .action((o: { kasan?: boolean }) => {
      for (const f of fragmentFiles({ kasan: !!o.kasan })) process.stdout.write(fs.readFileSync(f, 'utf8'));
    });
}

function mutantsSub(): Command {
  return new Command('mutants')
    .description('list the planted regressions (test/mutants/*.patch) and the scenarios each must fail')
    .option('--dir <dir>', 'mutant directory', 'test/mutants')
    .action((o: { dir: string }) => {
      for (const m of readMutants(o.dir)) {
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
        'check every mutant fails where its header says (and the clean kernel passes), then compare with ftracetest; ' +
        'exit 0 all as expected, 1 a problem, 2 bad options, 130 stopped',
    )
    .option('--kasan', 'build every kernel with kernel/kasan.config too')
    .option('--only <mutant>', 'only this mutant (and the clean kernel), repeatable', collect, [])
    .addOption(new Option('--ftracetest', 'run the ftracetest comparison (the default)').hideHelp())
    .option('--no-ftracetest', 'skip the ftracetest comparison (~22 min)')
    .option('--ftracetest-only', 'run only the ftracetest comparison, not the suite')
    .option('--timeout <seconds>', 'kill a guest that runs longer', String(DEFAULT_TIMEOUT_S))
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

export function kernelCommand(): Command {
  return new Command('kernel')
    .description('build test kernels for `vm --kernel`, with planted regressions for the self-test')
    .addCommand(buildSub())
    .addCommand(listSub())
    .addCommand(configSub())
    .addCommand(mutantsSub())
    .addCommand(selftestSub());
}
