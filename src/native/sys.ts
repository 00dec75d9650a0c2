// SPDX-License-Identifier: GPL-2.0-only
// Small helpers over a Sys (whole-file reads, one-shot writes, directory
// listings); errno stays data, as on hot paths. The Sys is explicit: a
// scenario passes its ctx.sys (so a recording sees these calls too), the
// runner's own setup and teardown pass `native`.
import { C, isErr, type Result } from './addon.js';
import type { Sys } from './types.js';

/** Reads a whole file (small tracefs/proc files) as text; errno as data. */
export function readText(sys: Sys, path: string): Result<string> {
  const fd = sys.open(path, C.O_RDONLY);
  if (isErr(fd)) return fd;
  const parts: Buffer[] = [];
  try {
    for (;;) {
      const b = sys.read(fd, 65536);
      if (isErr(b)) return b;
      if (b.length === 0) break;
      parts.push(b);
    }
  } finally {
    sys.close(fd);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** open(O_WRONLY [|extra]) + one write + close; the first failing call's error. */
export function writeOnce(sys: Sys, path: string, data: string, extraFlags = 0): Result<number> {
  const fd = sys.open(path, C.O_WRONLY | extraFlags);
  if (isErr(fd)) return fd;
  const w = sys.write(fd, data);
  const c = sys.close(fd);
  if (isErr(w)) return w;
  return isErr(c) ? c : w;
}

/** Every entry of a directory except . and .. (loops getdents64). */
export function listDir(sys: Sys, dirPath: string): Result<string[]> {
  const fd = sys.open(dirPath, C.O_RDONLY | C.O_DIRECTORY);
  if (isErr(fd)) return fd;
  try {
    return listFd(sys, fd);
  } finally {
    sys.close(fd);
  }
}

export function listFd(sys: Sys, fd: number): Result<string[]> {
  const names: string[] = [];
  for (;;) {
    const ents = sys.getdents64(fd);
    if (isErr(ents)) return ents;
    if (ents.length === 0) return names;
    for (const e of ents) if (e.name !== '.' && e.name !== '..') names.push(e.name);
  }
}
