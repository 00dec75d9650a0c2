// SPDX-License-Identifier: GPL-2.0-only
// lcov (Debian's 1.16) turns the collected .gcda/.gcno pairs into a
// tracefile, genhtml into the per-file, per-function, per-line HTML report.
// gcov must be the one of the gcc that built the kernel (the .gcno format is
// the compiler's): gcov-<major> from the build's CONFIG_GCC_VERSION.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { CommandError, EnvironmentError } from '../errors.js';
import { findInPath } from '../host/programs.js';

export const LCOV_HINT = 'apt-get install -y --no-install-recommends lcov (or pass vm --install-deps)';

/** The programs `vm --coverage` runs on the host that are missing here. */
export function missingLcov(exists: (p: string) => boolean = (p) => findInPath(p) !== undefined): string[] {
  return ['lcov', 'genhtml'].filter((p) => !exists(p));
}

export function checkLcov(exists?: (p: string) => boolean): void {
  const m = missingLcov(exists);
  if (m.length) throw new EnvironmentError(`--coverage needs ${m.join(' and ')} (Debian package lcov): ${LCOV_HINT}`);
}

/** gcov-<major> for a .config's CONFIG_GCC_VERSION (120200 -> gcov-12) when installed, else plain gcov. */
export function gcovToolFor(
  config: string,
  exists: (p: string) => boolean = (p) => findInPath(p) !== undefined,
): string {
  const m = /^CONFIG_GCC_VERSION=(\d+)$/m.exec(config);
  const major = m ? Math.floor(Number(m[1]) / 10000) : undefined;
  if (major && exists(`gcov-${major}`)) return `gcov-${major}`;
  return 'gcov';
}

/** What the tracefile keeps: the instrumented directories (inline functions of headers are noise here). */
export const KEEP_PATTERNS = ['*/fs/tracefs/*', '*/kernel/trace/*'];

const BRANCHES = ['--rc', 'lcov_branch_coverage=1'];

async function run(file: string, args: string[], log: string): Promise<void> {
  fs.appendFileSync(log, `\n$ ${file} ${args.join(' ')}\n`);
  const r = await execa('nice', ['-n', '10', file, ...args], {
    reject: false,
    stdout: { file: log, append: true },
    stderr: { file: log, append: true },
  });
  if (r.exitCode !== 0) {
    const tail = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).slice(-8).join('\n');
    throw new CommandError(
      `${file} ${args.join(' ')}`,
      r.exitCode,
      `${file} failed (exit ${r.exitCode}); ${log}:\n${tail}`,
    );
  }
}

export interface LcovRun {
  /** The .gcda files with their .gcno, laid out as the object dir. */
  gcovDir: string;
  /** The build's object dir: relative source names in the .gcno are resolved against it. */
  objDir: string;
  /** The source tree, stripped from the HTML report's paths. */
  tree: string;
  gcovTool: string;
  /** The output directory: coverage.info, html/, lcov.log. */
  dir: string;
}

/** lcov capture (branches on) -> extract the instrumented dirs -> coverage.info; genhtml -> html/. */
export async function lcovReport(o: LcovRun): Promise<{ tracefile: string; html: string; log: string }> {
  const log = path.join(o.dir, 'lcov.log');
  const all = path.join(o.dir, 'capture.info');
  const tracefile = path.join(o.dir, 'coverage.info');
  const html = path.join(o.dir, 'html');
  await run(
    'lcov',
    [
      '--quiet',
      '--capture',
      '--directory',
      o.gcovDir,
      '--base-directory',
      o.objDir,
      '--gcov-tool',
      o.gcovTool,
      ...BRANCHES,
      '--output-file',
      all,
    ],
    log,
  );
  await run('lcov', ['--quiet', '--extract', all, ...KEEP_PATTERNS, ...BRANCHES, '--output-file', tracefile], log);
  fs.rmSync(all, { force: true });
  await run(
    'genhtml',
    [
      '--quiet',
      '--branch-coverage',
      '--function-coverage',
      '--prefix',
      o.tree,
      '--title',
      'tracefs-regress vm --coverage',
      '--output-directory',
      html,
      tracefile,
    ],
    log,
  );
  return { tracefile, html, log };
}
