// SPDX-License-Identifier: GPL-2.0-only
// `vm --coverage DIR`: one kernel from `kernel build --coverage`, booted once;
// after the guest's command its /init copies the gcov data into the results
// share (vm/guest/initramfs.ts gcovCollect), the boot hook copies it to
// DIR/gcov/ next to the build's .gcno files, and lcov/genhtml make
// DIR/coverage.info and DIR/html/. Everything that can be checked is checked
// before anything boots.
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../errors.js';
import { findInPath } from '../host/programs.js';
import { prepareOutputDir } from '../util/output.js';
import { collectGcda, SHARE_GCOV, type GcdaCollected, type GuestReader } from './gcda.js';
import { checkLcov, gcovToolFor, lcovReport } from './lcov.js';
import { parseTracefile, summaryTable } from './tracefile.js';

export interface CoverageOpts {
  coverage?: string;
  kernel: string[];
  matrix?: string;
  boots?: string;
  shard?: string;
  fetchOnly?: boolean;
  /** vm --install-deps installs lcov (vm/qemu/deps.ts) instead of this check failing. */
  installDeps?: boolean;
}

export interface CoveragePlan {
  /** The output directory (absolute, created). */
  dir: string;
  /** The build dir's source tree and object dir (their paths are in the .gcda names). */
  tree: string;
  objDir: string;
  gcovTool: string;
}

export interface CoverageHost {
  exists: (p: string) => boolean;
  readFile: (p: string) => string | undefined;
  /** A program in PATH. */
  program: (p: string) => boolean;
}

const BUILD_HINT = 'build one with `tracefs-regress kernel build --coverage` and pass the bzImage it prints';

/**
 * The build a coverage kernel comes from: its bzImage sits in the build dir
 * next to config and tree/out (kernel/tree.ts buildPaths). Throws a
 * UsageError (exit 2) naming the fix for anything else.
 */
export function coverageBuild(o: CoverageOpts, host: CoverageHost): Omit<CoveragePlan, 'dir'> {
  const why = (m: string) => new UsageError(`--coverage: ${m}`);
  if (o.matrix || o.kernel.length !== 1) throw why('give exactly one --kernel (a coverage build), no --matrix');
  if (o.boots !== undefined && o.boots !== '1') throw why('one boot: drop --boots (gcov counts would mix)');
  if (o.shard !== undefined) throw why('drop --shard: one kernel boots once');
  if (o.fetchOnly) throw why('--fetch-only boots nothing: drop --coverage');
  const k = o.kernel[0]!;
  if (k.startsWith('debian:')) throw why(`${k} has no gcov; ${BUILD_HINT}`);
  const dir = path.dirname(path.resolve(k));
  const config = host.readFile(path.join(dir, 'config'));
  if (config === undefined) throw why(`no config next to ${k} (not a \`kernel build\` image); ${BUILD_HINT}`);
  if (!/^CONFIG_GCOV_KERNEL=y$/m.test(config)) throw why(`${k} was built without CONFIG_GCOV_KERNEL; ${BUILD_HINT}`);
  const tree = path.join(dir, 'tree');
  const objDir = path.join(tree, 'out');
  if (!host.exists(objDir)) throw why(`${objDir} is gone (its .gcno files are needed); ${BUILD_HINT}`);
  return { tree, objDir, gcovTool: gcovToolFor(config, host.program) };
}

export const realHost: CoverageHost = {
  exists: fs.existsSync,
  readFile: (p) => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  program: (p) => findInPath(p) !== undefined,
};

/** Every check of --coverage; lcov last, before the directory is made (bad input leaves nothing behind). */
export function planCoverage(o: CoverageOpts, host: CoverageHost = realHost): CoveragePlan | undefined {
  if (o.coverage === undefined) return undefined;
  const build = coverageBuild(o, host);
  if (!o.installDeps) checkLcov(host.program);
  const dir = prepareOutputDir(o.coverage, '--coverage');
  if (fs.readdirSync(dir).length)
    throw new UsageError(
      `--coverage ${o.coverage}: not empty; give a new or empty directory (the run's data would mix)`,
    );
  return { ...build, dir };
}

/** The boot hook: the share's gcov data to DIR/gcov/, next to copies of the .gcno files. */
export function gcovHook(
  plan: CoveragePlan,
  say: (m: string) => void,
  read: GuestReader,
): { hook: (share: string) => void; result: () => GcdaCollected | undefined } {
  let got: GcdaCollected | undefined;
  return {
    hook: (share) => {
      got = collectGcda(path.join(share, SHARE_GCOV), plan.objDir, path.join(plan.dir, 'gcov'), read);
      say(`coverage: ${got.copied.length} .gcda file(s) copied to ${path.join(plan.dir, 'gcov')}`);
      for (const r of got.refused.slice(0, 5)) say(`  refused: ${r}`);
    },
    result: () => got,
  };
}

/** After the boot: lcov and genhtml, and the per-file summary on stderr (and in DIR/summary.txt). */
export async function finishCoverage(
  plan: CoveragePlan,
  got: GcdaCollected | undefined,
  say: (m: string) => void,
): Promise<void> {
  if (!got)
    throw new EnvironmentError('--coverage: the guest ended before its gcov data could be read (see the console log)');
  if (got.missing && !got.copied.length)
    throw new EnvironmentError(
      `--coverage: the guest kernel has no /sys/kernel/debug/gcov (CONFIG_GCOV_KERNEL); ${BUILD_HINT}`,
    );
  if (!got.copied.length)
    throw new EnvironmentError('--coverage: the guest copied no .gcda files (did its command end the guest?)');
  const r = await lcovReport({
    gcovDir: path.join(plan.dir, 'gcov'),
    objDir: plan.objDir,
    tree: plan.tree,
    gcovTool: plan.gcovTool,
    dir: plan.dir,
  });
  const table = summaryTable(parseTracefile(fs.readFileSync(r.tracefile, 'utf8')));
  fs.writeFileSync(path.join(plan.dir, 'summary.txt'), table);
  say(`coverage: ${r.tracefile}, ${path.join(r.html, 'index.html')}`);
  process.stderr.write(table);
}
