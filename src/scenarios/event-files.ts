// SPDX-License-Identifier: GPL-2.0-only
// Helpers shared by the removal scenarios: the files of an event, warming the
// dcache, and checking that a path is gone in every way a user can reach it.
import { C, listDir, isErr, type Sys } from '../native/index.js';
import type { Probe } from '../probes/types.js';
import type { Checks } from './checks.js';

/** Files every kprobe/uprobe event has since 4.x (hist needs HIST_TRIGGERS). */
export const REQUIRED_FILES = ['enable', 'filter', 'format', 'id', 'trigger'];

/** Lists an event dir and checks the required files are there. */
export function eventFiles(sys: Sys, exp: Checks, eventDir: string): string[] {
  const names = listDir(sys, eventDir);
  if (!exp.succeeds('getdents64', eventDir, names)) return REQUIRED_FILES;
  const missing = REQUIRED_FILES.filter((f) => !names.includes(f));
  exp.that(
    missing.length === 0,
    'getdents64',
    eventDir,
    `lists ${REQUIRED_FILES.join(' ')}`,
    `missing ${missing.join(' ')}`,
  );
  return names;
}

/** Creates the event, lists its files in `dir` (its dir at the top level by default) and warms them. */
export function createWarm(sys: Sys, exp: Checks, ev: Probe, dir = ev.eventDir): string[] {
  exp.must(`create ${ev.create.line}`, ev.add());
  const files = eventFiles(sys, exp, dir);
  warm(sys, dir, files);
  return files;
}

/**
 * stat + open/read/close each file several times: the bug only shows with
 * dentries in the dcache (files never looked up give ENOENT even on bad kernels).
 */
export function warm(sys: Sys, dir: string, files: string[], rounds = 3): void {
  for (let i = 0; i < rounds; i++) {
    sys.stat(dir);
    for (const f of files) {
      const p = `${dir}/${f}`;
      sys.stat(p);
      sys.access(p, C.R_OK);
      const fd = sys.open(p, C.O_RDONLY);
      if (!isErr(fd)) {
        sys.read(fd, 4096);
        sys.close(fd);
      }
    }
  }
}

/** stat, lstat, access, open for read and open for write of path must all give ENOENT. */
export function expectGone(sys: Sys, exp: Checks, path: string): void {
  exp.fails('stat', path, sys.stat(path), 'ENOENT');
  exp.fails('lstat', path, sys.lstat(path), 'ENOENT');
  exp.fails('access(F_OK)', path, sys.access(path, C.F_OK), 'ENOENT');
  // A ghost file that does open is closed at once: never write into a freed event.
  for (const [op, flags] of [
    ['open(O_RDONLY)', C.O_RDONLY],
    ['open(O_WRONLY)', C.O_WRONLY],
  ] as const) {
    const fd = sys.open(path, flags);
    exp.fails(op, path, fd, 'ENOENT');
    if (!isErr(fd)) sys.close(fd);
  }
}

/** Reads a small tracefs file through an fd already open, from offset 0. */
export function preadText(sys: Sys, fd: number): string | undefined {
  const b = sys.pread(fd, 4096, 0);
  return isErr(b) ? undefined : b.toString('utf8');
}
