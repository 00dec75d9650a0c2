// SPDX-License-Identifier: GPL-2.0-only
// Where an output will go, checked before anything is opened for writing:
// the file itself is never opened (no O_TRUNC, no link followed); the report
// is renamed into place from a temporary file beside it (file.ts).
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { fixFor, notRegular, specialFs } from './special.js';

/** A checked output path. */
export interface Target {
  /** The option, for messages: --output, --journal, --keep-log. */
  flag: string;
  /** The path as typed. */
  given: string;
  /** Its directory, resolved once (realpath), and its name there: what the report is renamed to. */
  dir: string;
  name: string;
  path: string;
  /** The regular file there now, if any: its mode and owner carry over to the new one. */
  old?: { dev: number; ino: number; mode: number; uid: number; gid: number };
}

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/**
 * Checks GIVEN as FLAG's file: its directory exists, is writable and is on
 * storage (statfs of the directory, since the file may not exist yet); the
 * name, if taken, is a regular file of that storage, not a link, device,
 * FIFO, socket, directory or mount point. Opens nothing. UsageError naming the fix.
 */
export function checkTarget(given: string, flag: string, cwd = process.cwd()): Target {
  if (!given) throw new UsageError(`${flag} needs a file name`);
  const abs = path.resolve(cwd, given);
  const refuse = (what: string): never => {
    throw new UsageError(`${flag} ${given} is ${what}: ${fixFor(flag, given, what)}`);
  };
  const notWritable = (code: string): never => {
    throw new UsageError(`${flag} ${given} is not writable (${code}): pick a writable path`);
  };
  const name = path.basename(abs);
  if (abs === '/' || /\/\.{0,2}$/.test(given)) refuse('a directory');
  let dir: string;
  try {
    dir = fs.realpathSync(path.dirname(abs));
    if (!fs.statSync(dir).isDirectory()) notWritable('ENOTDIR');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return notWritable(codeOf(e));
  }
  const dirFs = specialFs(fs.statfsSync(dir).type);
  const target: Target = { flag, given, dir, name, path: path.join(dir, name) };
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(target.path);
  } catch (e) {
    if (codeOf(e) !== 'ENOENT') notWritable(codeOf(e));
  }
  const onKernelFs = (fsName: string): never => {
    throw new UsageError(
      `${flag} ${given} is ${st ? 'a file' : 'in a directory'} of ${fsName}, a kernel interface, not storage: name a file on a disk or tmpfs`,
    );
  };
  if (dirFs) onKernelFs(dirFs);
  if (st) {
    const what = notRegular(st);
    if (what) refuse(what);
    // A file bind-mounted here (a tracefs file over ./report.json) is what lstat saw: ask its own filesystem.
    const fileFs = specialFs(fs.statfsSync(target.path).type);
    if (fileFs) onKernelFs(fileFs);
    if (st.dev !== fs.statSync(dir).dev) refuse('a mount point');
    target.old = { dev: st.dev, ino: st.ino, mode: st.mode & 0o777, uid: st.uid, gid: st.gid };
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    notWritable(codeOf(e));
  }
  return target;
}

/** Two outputs naming one file (by resolved path, or dev/ino when it exists) would interleave into a corrupt one: UsageError. */
export function refuseSharedTargets(targets: readonly (Target | undefined)[]): void {
  const given = targets.filter((t): t is Target => !!t);
  for (let i = 0; i < given.length; i++)
    for (let j = i + 1; j < given.length; j++) {
      const a = given[i]!;
      const b = given[j]!;
      const sameInode = !!a.old && !!b.old && a.old.dev === b.old.dev && a.old.ino === b.old.ino;
      if (a.path === b.path || sameInode)
        throw new UsageError(`${a.flag} ${a.given} and ${b.flag} ${b.given} are the same file: give each its own file`);
    }
}
