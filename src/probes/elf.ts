// Where to put a uprobe: the file offset of an executable's entry point,
// read from its ELF headers (no readelf, no shell). The kernel wants a file
// offset inside an executable segment, not a virtual address.
import fs from 'node:fs';

const PT_LOAD = 1;
const PF_X = 1;

export class ElfError extends Error {}

export interface EntryOffset {
  entry: bigint;
  /** File offset of the entry point (what `path:0xOFFSET` needs). */
  offset: bigint;
}

/** Pure: from the bytes of an ELF file (only the headers need be present). */
export function entryFileOffset(buf: Buffer): EntryOffset {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) throw new ElfError('not an ELF file');
  const cls = buf[4];
  const data = buf[5];
  if (data !== 1 && data !== 2) throw new ElfError(`unknown ELF data encoding ${data}`);
  const le = data === 1;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o: number) => (le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o));
  let entry: bigint, phoff: bigint, phentsize: number, phnum: number;
  if (cls === 2) {
    entry = u64(24);
    phoff = u64(32);
    phentsize = u16(54);
    phnum = u16(56);
  } else if (cls === 1) {
    entry = BigInt(u32(24));
    phoff = BigInt(u32(28));
    phentsize = u16(42);
    phnum = u16(44);
  } else {
    throw new ElfError(`unknown ELF class ${cls}`);
  }
  if (phnum === 0) throw new ElfError('no program headers');
  for (let i = 0; i < phnum; i++) {
    const o = Number(phoff) + i * phentsize;
    if (o + phentsize > buf.length) throw new ElfError('program headers run past the end of the file');
    const type = u32(o);
    let flags: number, offset: bigint, vaddr: bigint, filesz: bigint;
    if (cls === 2) {
      flags = u32(o + 4);
      offset = u64(o + 8);
      vaddr = u64(o + 16);
      filesz = u64(o + 32);
    } else {
      offset = BigInt(u32(o + 4));
      vaddr = BigInt(u32(o + 8));
      filesz = BigInt(u32(o + 16));
      flags = u32(o + 24);
    }
    if (type === PT_LOAD && flags & PF_X && entry >= vaddr && entry < vaddr + filesz) {
      return { entry, offset: entry - vaddr + offset };
    }
  }
  throw new ElfError('the entry point lies in no executable PT_LOAD segment');
}

/** Reads just the headers of the file at path. */
export function entryFileOffsetOf(path: string): EntryOffset {
  const fd = fs.openSync(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return entryFileOffset(head.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}
