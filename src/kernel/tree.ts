// SPDX-License-Identifier: GPL-2.0-only
// One build = ~/.cache/tracefs-regress/build/<name>/: tree/ (a hard-linked
// copy of the pristine source with the patches applied) and tree/out/ (the
// object dir). The object dir sits directly inside the tree on purpose: kbuild
// then uses srctree=".." instead of an absolute path, so the compiler command
// lines are identical in every build dir. A new mutant's object dir can then
// start as a copy of the clean build's, and make recompiles only the files
// the patch changed (10 s instead of a full ccache-assisted rebuild).
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { UsageError } from '../errors.js';
import { sha256Of } from '../host/hash.js';
import { cacheRoot } from '../host/paths.js';
import { patchedFiles, preamble } from './patches.js';
import { runOk } from '../host/exec.js';
import { instrumentTree } from './coverage-tree.js';

export interface AppliedPatch {
  file: string;
  sha256: string;
  /** Files it changes, relative to the tree: rebuilt when the patch set changes. */
  files: string[];
}

export interface BuildMeta {
  name: string;
  source: string;
  sourceLabel: string;
  /** The git commit a --source tree was at (see KernelSource.revision). */
  sourceRevision?: string;
  kernelVersion: string;
  base: 'tiny' | 'defconfig';
  kasan: boolean;
  /** gcov + KCOV on the tracefs and trace-event objects (kernel/coverage.config and the Makefile edit of coverage-tree.ts). */
  coverage?: boolean;
  /** Hash of base + fragments: builds with equal keys share an object dir layout. */
  configKey: string;
  treeKey: string;
  patches: AppliedPatch[];
  complete: boolean;
  seconds?: number;
  builtAt?: string;
}

export const buildsRoot = () => path.join(cacheRoot(), 'build');

export interface BuildPaths {
  dir: string;
  tree: string;
  /** The object dir, inside the tree (see above). */
  out: string;
  meta: string;
  bzImage: string;
  config: string;
  log: string;
}

export function buildPaths(name: string): BuildPaths {
  const dir = path.join(buildsRoot(), name);
  const tree = path.join(dir, 'tree');
  return {
    dir,
    tree,
    out: path.join(tree, 'out'),
    meta: path.join(dir, 'meta.json'),
    bzImage: path.join(dir, 'bzImage'),
    config: path.join(dir, 'config'),
    log: path.join(dir, 'build.log'),
  };
}

export function validateBuildName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new UsageError(`bad build name '${name}': use letters, digits, '.', '_' and '-' (it becomes a directory)`);
  }
  return name;
}

export function readMeta(name: string): BuildMeta | undefined {
  try {
    return JSON.parse(fs.readFileSync(buildPaths(name).meta, 'utf8')) as BuildMeta;
  } catch {
    return undefined;
  }
}

export function writeMeta(meta: BuildMeta): void {
  fs.writeFileSync(buildPaths(meta.name).meta, JSON.stringify(meta, null, 2) + '\n');
}

export function describePatches(files: string[]): AppliedPatch[] {
  return files.map((f) => {
    const text = fs.readFileSync(f, 'utf8');
    // Only the diff counts: editing a mutant's header must not force a rebuild.
    const diff = text.split('\n').slice(preamble(text).length).join('\n');
    return { file: path.resolve(f), sha256: sha256Of(diff), files: patchedFiles(text) };
  });
}

/** `edit` names a tree edit after the patches (the coverage Makefile lines); without one the key is what it always was. */
export function treeKey(source: string, patches: AppliedPatch[], edit?: string): string {
  const parts: unknown[] = [source, patches.map((p) => p.sha256)];
  if (edit !== undefined) parts.push(edit);
  return sha256Of(JSON.stringify(parts));
}

/**
 * Give a file its own inode and a fresh mtime, so make rebuilds it without
 * touching the pristine tree it was hard-linked from.
 */
function refresh(tree: string, rel: string): void {
  const f = path.join(tree, rel);
  if (!fs.existsSync(f)) return;
  const data = fs.readFileSync(f);
  const mode = fs.statSync(f).mode;
  fs.unlinkSync(f);
  fs.writeFileSync(f, data, { mode });
}

/** A completed build with the same config to copy the object dir from: unpatched first. */
function findSeed(meta: BuildMeta): BuildMeta | undefined {
  if (!fs.existsSync(buildsRoot())) return undefined;
  const others = fs
    .readdirSync(buildsRoot())
    .filter((n) => n !== meta.name)
    .map(readMeta)
    .filter((m): m is BuildMeta => !!m && m.complete && m.configKey === meta.configKey && m.source === meta.source)
    .filter((m) => fs.existsSync(buildPaths(m.name).out));
  return others.sort((a, b) => a.patches.length - b.patches.length)[0];
}

async function copyTree(from: string, to: string): Promise<void> {
  // A git tree's .git is not the kernel's: leaving it out halves the files to link and keeps git's state out of the build.
  fs.mkdirSync(to);
  const entries = fs
    .readdirSync(from)
    .filter((e) => e !== '.git')
    .map((e) => path.join(from, e));
  // Hard links make the copy take seconds and no space; across filesystems, a real copy.
  const r = await execa('cp', ['-al', ...entries, to], { reject: false });
  if (r.exitCode !== 0) {
    fs.rmSync(to, { recursive: true, force: true });
    fs.mkdirSync(to);
    await runOk('cp', ['-a', ...entries, to]);
  }
  // An in-tree build in the user's tree would make kbuild refuse O= builds.
  if (fs.existsSync(path.join(to, '.config')) || fs.existsSync(path.join(to, 'include/config'))) {
    await runOk('make', ['-s', '-C', to, 'mrproper']);
  }
}

export async function applyPatch(tree: string, file: string): Promise<void> {
  const r = await execa('patch', ['-p1', '--forward', '--batch', '--no-backup-if-mismatch', '-d', tree, '-i', path.resolve(file)], {
    reject: false,
    all: true,
  });
  if (r.exitCode !== 0) {
    throw new UsageError(`--patch ${file} does not apply to this tree:\n${(r.all ?? '').trim()}`);
  }
}

/**
 * Make tree/ match the source plus patches, keeping (or seeding) the object
 * dir so the next make is incremental. Returns what happened, for the log.
 */
export async function prepareTree(meta: BuildMeta, log: (m: string) => void, opts: { fresh?: boolean } = {}): Promise<string> {
  const p = buildPaths(meta.name);
  fs.mkdirSync(p.dir, { recursive: true });
  const old = readMeta(meta.name);
  if (opts.fresh) fs.rmSync(p.tree, { recursive: true, force: true });
  if (!opts.fresh && old?.treeKey === meta.treeKey && fs.existsSync(p.tree)) return 'tree unchanged';

  const keep = path.join(p.dir, 'out.keep');
  fs.rmSync(keep, { recursive: true, force: true });
  const reuse = !opts.fresh && old?.configKey === meta.configKey && fs.existsSync(p.out);
  if (reuse) fs.renameSync(p.out, keep);
  fs.rmSync(p.tree, { recursive: true, force: true });
  writeMeta({ ...meta, complete: false });
  await copyTree(meta.source, p.tree);
  for (const patch of meta.patches) await applyPatch(p.tree, patch.file);
  if (meta.coverage) log(`tree: coverage instrumentation in ${instrumentTree(p.tree).join(', ')}`);

  // Files a previous patch set changed are pristine again but older than their objects.
  let stale: AppliedPatch[] = [];
  let how = 'fresh object dir';
  if (reuse) {
    fs.renameSync(keep, p.out);
    stale = old!.patches;
    how = 'kept object dir';
  } else if (!opts.fresh) {
    const seed = findSeed(meta);
    if (seed) {
      await runOk('cp', ['-a', '--reflink=auto', buildPaths(seed.name).out, p.out]);
      stale = seed.patches;
      how = `object dir seeded from build '${seed.name}'`;
    }
  }
  const mine = new Set(meta.patches.flatMap((x) => x.files));
  for (const f of new Set(stale.flatMap((x) => x.files))) if (!mine.has(f)) refresh(p.tree, f);
  log(`tree: ${meta.patches.length} patch(es) on ${meta.sourceLabel}; ${how}`);
  return how;
}
