// SPDX-License-Identifier: GPL-2.0-only
// A cpio "newc" writer, the format the kernel unpacks as an initramfs.
// Writing it directly (instead of staging a tree for cpio(1)) lets a non-root
// user add /dev/console and keeps the archive byte-for-byte reproducible.

export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; data: Buffer | string; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'chardev'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

function header(f: {
  ino: number;
  mode: number;
  nlink: number;
  size: number;
  rmajor: number;
  rminor: number;
  namesize: number;
}): string {
  const h = (n: number) => n.toString(16).padStart(8, '0');
  return (
    '070701' +
    h(f.ino) +
    h(f.mode) +
    h(0) + // uid
    h(0) + // gid
    h(f.nlink) +
    h(0) + // mtime: fixed, for reproducible archives
    h(f.size) +
    h(0) +
    h(0) +
    h(f.rmajor) +
    h(f.rminor) +
    h(f.namesize) +
    h(0)
  );
}

function record(ino: number, name: string, mode: number, data: Buffer, nlink = 1, rmajor = 0, rminor = 0): Buffer[] {
  const nameBuf = Buffer.from(name + '\0');
  const head = Buffer.from(header({ ino, mode, nlink, size: data.length, rmajor, rminor, namesize: nameBuf.length }));
  const parts: Buffer[] = [head, nameBuf, Buffer.alloc(pad4(head.length + nameBuf.length))];
  if (data.length) parts.push(data, Buffer.alloc(pad4(data.length)));
  return parts;
}

/** The archive bytes. Paths are relative to the archive root (no leading slash in the archive). */
export function writeCpio(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, '');
    if (e.type === 'dir') parts.push(...record(ino++, name, S_IFDIR | (e.mode ?? 0o755), Buffer.alloc(0), 2));
    else if (e.type === 'file') {
      const data = typeof e.data === 'string' ? Buffer.from(e.data) : e.data;
      parts.push(...record(ino++, name, S_IFREG | (e.mode ?? 0o644), data));
    } else if (e.type === 'symlink') parts.push(...record(ino++, name, S_IFLNK | 0o777, Buffer.from(e.target)));
    else parts.push(...record(ino++, name, S_IFCHR | (e.mode ?? 0o600), Buffer.alloc(0), 1, e.major, e.minor));
  }
  parts.push(...record(0, 'TRAILER!!!', 0, Buffer.alloc(0), 1));
  return Buffer.concat(parts);
}
