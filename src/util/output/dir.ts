// SPDX-License-Identifier: GPL-2.0-only
// A directory the tool writes files into (--repro-dir): its filesystem is
// checked at the nearest existing ancestor before any mkdir (a recursive
// mkdir under /proc spins forever, under tracefs it makes an instance, under
// a cgroup mount a cgroup), and each file is renamed into place from a file
// of our own, so a link planted at DIR/<name> is replaced, never followed.
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../../errors.js';
import { specialFs } from './special.js';
import { createExclusive, siblingName, untrack } from './file.js';

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/**
 * The real path of a writable directory on storage, made (one level at a
 * time, 0755) when missing. A symlink as the last component is refused; a
 * UsageError names the fix.
 */
export function prepareOutputDir(given: string, flag = '--repro-dir', cwd = process.cwd()): string {
  if (!given) throw new UsageError(`${flag} needs a directory: e.g. ${flag} ./repro`);
  const abs = path.resolve(cwd, given);
  const refuse = (why: string): never => {
    throw new UsageError(`${flag} ${given}: ${why}`);
  };
  const missing: string[] = [];
  let existing = abs;
  for (;;) {
    try {
      if (fs.lstatSync(existing).isSymbolicLink() && existing === abs)
        refuse(`${abs} is a symlink: name the directory itself (${safeRealpath(abs)})`);
      break;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      const c = codeOf(e);
      if (c === 'ENOTDIR')
        refuse(`${abs} is (or lies under) a file, not a directory; name a directory (it is created when missing)`);
      if (c !== 'ENOENT') refuse(`${abs} cannot be checked (${c}); give a writable directory`);
      missing.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
  let real: string;
  try {
    real = fs.realpathSync(existing);
  } catch (e) {
    return refuse(`${existing} cannot be resolved (${codeOf(e)}); give a writable directory`);
  }
  if (!fs.statSync(real).isDirectory())
    refuse(`${abs} is (or lies under) a file, not a directory; name a directory (it is created when missing)`);
  const onFs = specialFs(fs.statfsSync(real).type);
  if (onFs) refuse(`${real} is on ${onFs}, a kernel interface, not storage; name a directory on a disk or tmpfs`);
  try {
    fs.accessSync(real, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    refuse(`${real} is not writable (${codeOf(e)}); pick a writable directory`);
  }
  let dir = real;
  for (const m of missing) {
    dir = path.join(dir, m);
    try {
      fs.mkdirSync(dir, 0o755);
    } catch (e) {
      if (codeOf(e) !== 'EEXIST') refuse(`${dir} cannot be created (${codeOf(e)}); give a writable directory`);
      // Made meanwhile by someone else: taken only as a real directory.
      if (!fs.lstatSync(dir).isDirectory()) refuse(`${dir} appeared as something else than a directory; run again`);
    }
  }
  return dir;
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return 'its target is missing';
  }
}

/**
 * Writes DIR/NAME (NAME a plain file name) through a new file of our own
 * renamed over it: an old file of that name is replaced whole, a link there
 * is replaced, not written through. Returns the path; EnvironmentError when
 * the write fails (nothing left half-written).
 */
export function writeFileInDir(dir: string, name: string, text: string | Buffer, flag = '--repro-dir'): string {
  if (!name || name.includes('/') || name === '.' || name === '..') throw new Error(`not a plain file name: ${name}`);
  const dest = path.join(dir, name);
  const tmp = siblingName(dir, name, 'tmp');
  let fd: number | undefined;
  try {
    fd = createExclusive(tmp, 0o644, flag, dir);
    const buf = typeof text === 'string' ? Buffer.from(text) : text;
    for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, dest);
    untrack(tmp);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* not made, or renamed already */
    }
    if (e instanceof UsageError) throw new EnvironmentError(e.message);
    throw new EnvironmentError(`${flag} ${dir}: cannot write ${name} (${codeOf(e)})`);
  }
  return dest;
}
