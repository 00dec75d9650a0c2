// Small helpers over the addon for setup and teardown code (whole-file reads,
// one-shot writes, directory listings); errno stays data, as on hot paths.
import { native, C, isErr, type Result } from './addon.js';

/** Reads a whole file (small tracefs/proc files) as text; errno as data. */
export function readText(path: string): Result<string> {
  const fd = native.open(path, C.O_RDONLY);
  if (isErr(fd)) return fd;
  const parts: Buffer[] = [];
  try {
    for (;;) {
      const b = native.read(fd, 65536);
      if (isErr(b)) return b;
      if (b.length === 0) break;
      parts.push(b);
    }
  } finally {
    native.close(fd);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** open(O_WRONLY [|extra]) + one write + close; the first failing call's error. */
export function writeOnce(path: string, data: string, extraFlags = 0): Result<number> {
  const fd = native.open(path, C.O_WRONLY | extraFlags);
  if (isErr(fd)) return fd;
  const w = native.write(fd, data);
  const c = native.close(fd);
  if (isErr(w)) return w;
  return isErr(c) ? c : w;
}

/** Every entry of a directory except . and .. (loops getdents64). */
export function listDir(dirPath: string): Result<string[]> {
  const fd = native.open(dirPath, C.O_RDONLY | C.O_DIRECTORY);
  if (isErr(fd)) return fd;
  try {
    return listFd(fd);
  } finally {
    native.close(fd);
  }
}

export function listFd(fd: number): Result<string[]> {
  const names: string[] = [];
  for (;;) {
    const ents = native.getdents64(fd);
    if (isErr(ents)) return ents;
    if (ents.length === 0) return names;
    for (const e of ents) if (e.name !== '.' && e.name !== '..') names.push(e.name);
  }
}
