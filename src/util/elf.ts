// SPDX-License-Identifier: GPL-2.0-only
// The one ELF reader: just the file header and the program headers, from the
// bytes at the start of a file (no readelf, no shell). Two questions use it:
// where to put a uprobe (the file offset of the entry point: the kernel wants
// a file offset inside an executable segment, not a virtual address), and
// whether a busybox is static (no PT_INTERP), which an initramfs needs.
import fs from 'node:fs';

const PT_LOAD = 1;
const PT_INTERP = 3;
const PF_X = 1;

export class ElfError extends Error {}

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  filesz: bigint;
}

export interface ElfHeaders {
  entry: bigint;
  programs: ProgramHeader[];
}

/** Pure: the entry point and program headers of ELF bytes (only the headers need be present); ElfError otherwise. */
export function readElfHeaders(buf: Buffer): ElfHeaders {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) throw new ElfError('not an ELF file');
  const cls = buf[4];
  const data = buf[5];
  if (data !== 1 && data !== 2) throw new ElfError(`unknown ELF data encoding ${data}`);
  const le = data === 1;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o: number) => (le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o));
  if (cls !== 1 && cls !== 2) throw new ElfError(`unknown ELF class ${cls}`);
  const is64 = cls === 2;
  const entry = is64 ? u64(24) : BigInt(u32(24));
  const phoff = Number(is64 ? u64(32) : BigInt(u32(28)));
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  const programs: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (o + phentsize > buf.length) throw new ElfError('program headers run past the end of the file');
    programs.push(
      is64
        ? { type: u32(o), flags: u32(o + 4), offset: u64(o + 8), vaddr: u64(o + 16), filesz: u64(o + 32) }
        : {
            type: u32(o),
            offset: BigInt(u32(o + 4)),
            vaddr: BigInt(u32(o + 8)),
            filesz: BigInt(u32(o + 16)),
            flags: u32(o + 24),
          },
    );
  }
  return { entry, programs };
}

export interface EntryOffset {
  entry: bigint;
  /** File offset of the entry point (what `path:0xOFFSET` needs). */
  offset: bigint;
}

/** Pure: the entry point's file offset, from the bytes of an ELF file. */
export function entryFileOffset(buf: Buffer): EntryOffset {
  const { entry, programs } = readElfHeaders(buf);
  if (programs.length === 0) throw new ElfError('no program headers');
  for (const p of programs) {
    if (p.type === PT_LOAD && p.flags & PF_X && entry >= p.vaddr && entry < p.vaddr + p.filesz) {
      return { entry, offset: entry - p.vaddr + p.offset };
    }
  }
  throw new ElfError('the entry point lies in no executable PT_LOAD segment');
}

/** Pure: true for an ELF file with no PT_INTERP (statically linked); false for a dynamic one or anything not ELF. */
export function isStaticElf(buf: Buffer): boolean {
  try {
    return !readElfHeaders(buf).programs.some((p) => p.type === PT_INTERP);
  } catch (e) {
    if (e instanceof ElfError) return false;
    throw e;
  }
}

/** The first `bytes` of a file: enough for the headers. */
export function readHead(file: string, bytes = 64 * 1024): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(bytes);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads just the headers of the file at path. */
export function entryFileOffsetOf(path: string): EntryOffset {
  return entryFileOffset(readHead(path));
}
