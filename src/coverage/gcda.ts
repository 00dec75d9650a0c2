// SPDX-License-Identifier: GPL-2.0-only
// The guest copies /sys/kernel/debug/gcov/** /*.gcda into the results share
// under their debugfs paths, which are the absolute object paths of the build
// (gcov-kernel names each file after the object the compiler wrote). Here they
// are mapped back onto the build's object dir and put next to a copy of their
// .gcno, in a directory of the run's own (the build dir is never written).
import fs from 'node:fs';
import path from 'node:path';

/** The results share's subdirectory the guest copies gcov data into. */
export const SHARE_GCOV = 'gcov';
/** Written there by the guest when the kernel has no /sys/kernel/debug/gcov. */
export const GCOV_MISSING = 'MISSING';

/**
 * `rel`, a .gcda path under the share's gcov dir (the object's absolute path
 * without its leading /), as a path relative to `objDir`; an Error when it is
 * not a .gcda of that object dir (another build's, or a hostile name).
 */
export function mapGcdaPath(rel: string, objDir: string): string | Error {
  const abs = path.posix.normalize(`/${rel}`);
  const root = path.posix.normalize(objDir).replace(/\/+$/, '');
  if (!abs.endsWith('.gcda')) return new Error(`${rel}: not a .gcda file`);
  if (!abs.startsWith(`${root}/`))
    return new Error(`${rel}: not under the build's object dir ${root} (a kernel from another build dir?)`);
  const out = abs.slice(root.length + 1);
  if (out.split('/').some((p) => p === '..' || p === '')) return new Error(`${rel}: not a plain path`);
  return out;
}

/** Every regular file under dir, relative to it (links are not followed). */
function walk(dir: string, base = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, rel));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

/** .gcda files are small (counters of one object): anything bigger is not one. */
export const MAX_GCDA = 16 * 1024 * 1024;

/** Reads a file the guest wrote, never through a link (vm/guest/file.ts readGuestBytes, injected: vm is this unit's caller). */
export type GuestReader = (file: string, max: number) => Buffer | undefined;

export interface GcdaCollected {
  /** Object-dir-relative .gcda paths copied, with their .gcno. */
  copied: string[];
  /** What was refused, and why. */
  refused: string[];
  /** The guest said the kernel has no gcov. */
  missing: boolean;
}

/** Copy the guest's .gcda files from `shareGcov` to `to`, each with its .gcno from `objDir`. */
export function collectGcda(shareGcov: string, objDir: string, to: string, read: GuestReader): GcdaCollected {
  const r: GcdaCollected = { copied: [], refused: [], missing: false };
  if (!fs.existsSync(shareGcov)) return { ...r, missing: true };
  for (const rel of walk(shareGcov)) {
    if (rel === GCOV_MISSING) {
      r.missing = true;
      continue;
    }
    const objRel = mapGcdaPath(rel, objDir);
    if (objRel instanceof Error) {
      r.refused.push(objRel.message);
      continue;
    }
    const gcno = path.join(objDir, objRel.replace(/\.gcda$/, '.gcno'));
    if (!fs.existsSync(gcno)) {
      r.refused.push(`${objRel}: no ${path.basename(gcno)} in the build (built without coverage?)`);
      continue;
    }
    const data = read(path.join(shareGcov, rel), MAX_GCDA);
    if (!data) {
      r.refused.push(`${rel}: not a regular file of at most ${MAX_GCDA} bytes`);
      continue;
    }
    const dest = path.join(to, objRel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, data);
    fs.copyFileSync(gcno, dest.replace(/\.gcda$/, '.gcno'));
    r.copied.push(objRel);
  }
  r.copied.sort();
  return r;
}
