// SPDX-License-Identifier: GPL-2.0-only
// Publishing a finished cache entry (a kernel, a QEMU) that another `vm` run
// may be publishing or using at the same moment.
import fs from 'node:fs';

/**
 * Moves the staged directory `tmp` to `dir` with rename(2). When `dir` is
 * already there, a concurrent fetch got there first: its entry is kept if
 * `isValid` says so (and `tmp` dropped), else the broken one is swapped out
 * by two renames and removed. Never removes a valid entry another run may be
 * reading; `tmp` never outlives the call.
 */
export function publishDir(tmp: string, dir: string, isValid: (dir: string) => boolean): void {
  try {
    try {
      fs.renameSync(tmp, dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    }
    if (isValid(dir)) return;
    const old = `${dir}.old${process.pid}`;
    fs.rmSync(old, { recursive: true, force: true });
    fs.renameSync(dir, old);
    fs.renameSync(tmp, dir);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
