// SPDX-License-Identifier: GPL-2.0-only
// `kernel build`: source -> tree (+patches) -> config -> bzImage, under
// ~/.cache/tracefs-regress/build/<name>. The machine is shared, so make runs
// under nice with a bounded -j, and ccache (shared by every build) makes a
// fresh object dir cheap.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { CommandError, EnvironmentError, UsageError } from '../errors.js';
import { findInPath } from '../host/programs.js';
import { cacheRoot } from '../host/paths.js';
import { lockFile, withLock } from '../host/lock.js';
import { configKey, configure, fragmentFiles, type Base } from './configure.js';
import { debianSource, userSource, DEFAULT_SERIES, type KernelSource } from './source.js';
import {
  buildPaths,
  describePatches,
  prepareTree,
  readMeta,
  treeKey,
  validateBuildName,
  writeMeta,
  type AppliedPatch,
  type BuildMeta,
  type BuildPaths,
} from './tree.js';
import { coverageTreeKey } from './coverage-tree.js';

export interface BuildOptions {
  name?: string;
  /** A kernel tree to build instead of Debian's linux-source. */
  source?: string;
  series?: string;
  refreshSource?: boolean;
  base?: Base;
  kasan?: boolean;
  /** gcov + KCOV on the tracefs and trace-event objects only. */
  coverage?: boolean;
  patches?: string[];
  /** Extra config fragments after the project's own. */
  fragments?: string[];
  jobs?: number;
  nice?: number;
  fresh?: boolean;
  /** Stop after the checked config: no compile. */
  configOnly?: boolean;
  log?: (m: string) => void;
}

export interface BuildResult {
  name: string;
  bzImage: string;
  config: string;
  seconds: number;
  /** What prepareTree did: kept, seeded or fresh object dir. */
  how: string;
  meta: BuildMeta;
}

export const ccacheDir = () => process.env.CCACHE_DIR || path.join(cacheRoot(), 'ccache');

/** The default build name says what went into it: tiny, tiny-kasan, tiny-coverage, defconfig-kasan. */
export function defaultName(base: Base, kasan: boolean, patches: string[], coverage = false): string {
  const parts = [base, ...(kasan ? ['kasan'] : []), ...(coverage ? ['coverage'] : []), ...patches.map((p) => path.basename(p).replace(/\.(patch|diff)$/, ''))];
  return parts.join('-').slice(0, 64);
}

/** make's environment: stable build user/host so ccache hits across build dirs. */
export function makeEnv(): Record<string, string> {
  return {
    CCACHE_DIR: ccacheDir(),
    KBUILD_BUILD_USER: 'tracefs-regress',
    KBUILD_BUILD_HOST: 'tracefs-regress',
  };
}

/** make's arguments: out-of-tree (srctree=".." since out/ is inside the tree), ccache for target and host compilers. */
export function makeArgs(jobs: number, targets: string[]): string[] {
  return ['O=out', 'CC=ccache gcc', 'HOSTCC=ccache gcc', `-j${jobs}`, ...targets];
}

export const BUILD_DEPS_HINT =
  'apt-get install -y --no-install-recommends make gcc flex bison bc ccache patch cpio perl libelf-dev libssl-dev xz-utils';

/** What a build runs (ccache wraps every compiler call) and the headers it compiles against; `doctor kernel` lists them too. */
export const BUILD_TOOLS = ['make', 'gcc', 'flex', 'bison', 'bc', 'ccache', 'patch', 'cpio', 'perl'];
export const BUILD_HEADERS = [
  { header: '/usr/include/libelf.h', pkg: 'libelf-dev' },
  { header: '/usr/include/openssl/ssl.h', pkg: 'libssl-dev' },
];

/** What a kernel build lacks here (tools, headers); synchronous, so a test can decide to skip at collection. */
export function missingBuildDeps(): string[] {
  const missing = BUILD_TOOLS.filter((t) => findInPath(t) === undefined);
  for (const h of BUILD_HEADERS) if (!fs.existsSync(h.header)) missing.push(h.pkg);
  return missing;
}


export async function checkBuildDeps(): Promise<void> {
  const missing = missingBuildDeps();
  if (missing.length) throw new EnvironmentError(`kernel build needs ${missing.join(', ')}: ${BUILD_DEPS_HINT}`);
}

/** Locks of a build: its name's dir (one build into it at a time), and the Debian source download/extraction. */
export const buildLock = (name: string) => lockFile(`build-${name}`);
export const sourceLock = (series: string) => lockFile(`linux-source-${series}`);

const waitSay = (log: (m: string) => void, what: string) => (f: string) =>
  log(`waiting for another tracefs-regress process that holds ${what} (${f})`);

async function resolveSource(o: BuildOptions, log: (m: string) => void): Promise<KernelSource> {
  if (o.source) return userSource(o.source);
  // Two builds at once would download and extract into the same .partial dirs.
  const series = o.series ?? DEFAULT_SERIES;
  return withLock(sourceLock(series), () => debianSource(series, { refresh: o.refreshSource, log }), {
    onWait: waitSay(log, `the linux-source-${series} download`),
  });
}

/** The checked user input of a build: its base, KASAN, patch files (absolute) and name. */
export interface BuildInput {
  name: string;
  base: Base;
  kasan: boolean;
  coverage?: boolean;
  patchFiles: string[];
}

/** Every file named must exist and the name must make a directory; nothing is fetched or built yet. */
export function checkBuildInput(o: BuildOptions, exists: (f: string) => boolean = fs.existsSync): BuildInput {
  const base = o.base ?? 'tiny';
  const kasan = !!o.kasan;
  const coverage = !!o.coverage;
  const patchFiles = (o.patches ?? []).map((p) => {
    if (!exists(p)) throw new UsageError(`--patch ${p}: no such file`);
    return path.resolve(p);
  });
  for (const f of o.fragments ?? []) if (!exists(f)) throw new UsageError(`--config ${f}: no such file`);
  const name = validateBuildName(o.name ?? defaultName(base, kasan, patchFiles, coverage));
  return { name, base, kasan, ...(coverage ? { coverage } : {}), patchFiles };
}

/** What meta.json records of a build before it runs (complete: false). */
export function buildMeta(input: BuildInput, src: KernelSource, patches: AppliedPatch[], configKey: string): BuildMeta {
  return {
    name: input.name,
    source: src.dir,
    sourceLabel: src.label,
    kernelVersion: src.kernelVersion,
    base: input.base,
    kasan: input.kasan,
    ...(input.coverage ? { coverage: true } : {}),
    configKey,
    ...(src.revision ? { sourceRevision: src.revision } : {}),
    treeKey: treeKey(src.revision ? `${src.dir}@${src.revision}` : src.dir, patches, input.coverage ? coverageTreeKey() : undefined),
    patches,
    complete: false,
  };
}

/** make in the tree under nice, its output appended to the build log; a failure quotes the log's tail. */
function makeRunner(p: BuildPaths, jobs: number, nice: number): (targets: string[]) => Promise<void> {
  return async (targets) => {
    fs.appendFileSync(p.log, `\n$ make ${makeArgs(jobs, targets).join(' ')}\n`);
    const r = await execa('nice', ['-n', String(nice), 'make', ...makeArgs(jobs, targets)], {
      cwd: p.tree,
      env: makeEnv(),
      reject: false,
      stdout: { file: p.log, append: true },
      stderr: { file: p.log, append: true },
    });
    if (r.exitCode !== 0) {
      const tail = fs.readFileSync(p.log, 'utf8').split('\n').filter(Boolean).slice(-25).join('\n');
      throw new CommandError(`make ${targets.join(' ')}`, r.exitCode, `make ${targets.join(' ')} failed (exit ${r.exitCode}); last lines of ${p.log}:\n${tail}`);
    }
  };
}

/**
 * Copies next to meta.json: the VM runner finds `config` beside the image,
 * and a later rebuild cannot change them under a running VM.
 */
function publishImage(p: BuildPaths): void {
  fs.copyFileSync(path.join(p.out, 'arch/x86/boot/bzImage'), p.bzImage + '.tmp');
  fs.renameSync(p.bzImage + '.tmp', p.bzImage);
  fs.copyFileSync(path.join(p.out, '.config'), p.config);
}

const secondsSince = (t0: number) => Math.round((Date.now() - t0) / 100) / 10;

/**
 * Two `kernel build`s of one name at once would share tree/, out/ and
 * meta.json: the second waits for the first (and then finds its objects).
 */
export async function buildKernel(o: BuildOptions): Promise<BuildResult> {
  const input = checkBuildInput(o);
  const log = o.log ?? (() => {});
  return withLock(buildLock(input.name), () => buildLocked(o, input, log), {
    onWait: waitSay(log, `build '${input.name}'`),
  });
}

async function buildLocked(o: BuildOptions, input: BuildInput, log: (m: string) => void): Promise<BuildResult> {
  const started = Date.now();
  const { name } = input;
  await checkBuildDeps();
  const src = await resolveSource(o, log);
  const fragments = fragmentFiles({ kasan: input.kasan, coverage: input.coverage, extra: (o.fragments ?? []).map((f) => path.resolve(f)) });
  const meta = buildMeta(input, src, describePatches(input.patchFiles), configKey(input.base, fragments));
  const p = buildPaths(name);
  const how = await prepareTree(meta, log, { fresh: o.fresh });
  writeMeta({ ...(readMeta(name) ?? meta), ...meta, complete: false });

  const jobs = o.jobs ?? Math.max(1, Math.min(os.availableParallelism(), 2));
  const make = makeRunner(p, jobs, o.nice ?? 19);
  fs.appendFileSync(p.log, `\n=== ${new Date().toISOString()} build ${name}: ${how}\n`);
  await configure({ tree: p.tree, out: p.out, base: input.base, fragments, key: meta.configKey, make, log });
  if (o.configOnly) {
    fs.copyFileSync(path.join(p.out, '.config'), p.config);
    return { name, bzImage: '', config: p.config, seconds: secondsSince(started), how, meta: { ...meta, complete: false } };
  }
  log(`make bzImage (-j${jobs}, nice ${o.nice ?? 19}, ccache ${ccacheDir()}); log: ${p.log}`);
  await make(['bzImage']);
  publishImage(p);
  const seconds = secondsSince(started);
  const done: BuildMeta = { ...meta, complete: true, seconds, builtAt: new Date().toISOString() };
  writeMeta(done);
  return { name, bzImage: p.bzImage, config: p.config, seconds, how, meta: done };
}
