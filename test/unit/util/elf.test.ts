// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entryFileOffset, entryFileOffsetOf, ElfError, isStaticElf, readHead } from '../../../src/util/elf.js';

/** A minimal little-endian ELF64 with one R+X PT_LOAD at vaddr 0x401000, file offset 0x1000. */
function elf64({
  entry = 0x401234n,
  vaddr = 0x401000n,
  offset = 0x1000n,
  flags = 5,
  filesz = 0x2000n,
  type = 1,
} = {}): Buffer {
  const b = Buffer.alloc(64 + 56);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2; // ELFCLASS64
  b[5] = 1; // little endian
  b.writeBigUInt64LE(entry, 24);
  b.writeBigUInt64LE(64n, 32); // e_phoff
  b.writeUInt16LE(56, 54); // e_phentsize
  b.writeUInt16LE(1, 56); // e_phnum
  const p = 64;
  b.writeUInt32LE(type, p); // PT_LOAD unless told
  b.writeUInt32LE(flags, p + 4);
  b.writeBigUInt64LE(offset, p + 8);
  b.writeBigUInt64LE(vaddr, p + 16);
  b.writeBigUInt64LE(filesz, p + 32);
  return b;
}

describe('ELF entry file offset', () => {
  it('maps the entry vaddr into its executable segment', () => {
    expect(entryFileOffset(elf64())).toEqual({ entry: 0x401234n, offset: 0x1234n });
  });

  it('rejects non-ELF input and entries outside executable segments', () => {
    expect(() => entryFileOffset(Buffer.from('#!/bin/sh\n'.padEnd(80)))).toThrow(ElfError);
    expect(() => entryFileOffset(elf64({ flags: 4 }))).toThrow(/no executable PT_LOAD/);
    expect(() => entryFileOffset(elf64({ entry: 0x900000n }))).toThrow(ElfError);
  });

  it('agrees with the real /bin/true (vaddr == file offset there)', () => {
    const real = fs.realpathSync('/bin/true');
    const { entry, offset } = entryFileOffsetOf(real);
    expect(offset).toBeGreaterThan(0n);
    expect(offset).toBeLessThan(BigInt(fs.statSync(real).size));
    // PIE executables on Debian map their text at vaddr == file offset
    expect(offset).toBe(entry);
  });
});

describe('static ELF check (initramfs busybox)', () => {
  it('says static without PT_INTERP and dynamic with it', () => {
    expect(isStaticElf(elf64())).toBe(true);
    expect(isStaticElf(elf64({ type: 3 }))).toBe(false); // PT_INTERP
  });

  it('says not static for what is not a whole ELF header (planted)', () => {
    expect(isStaticElf(Buffer.alloc(64))).toBe(false);
    expect(isStaticElf(Buffer.from('#!/bin/sh\n'.padEnd(80)))).toBe(false);
    expect(isStaticElf(elf64().subarray(0, 80))).toBe(false); // program headers cut off
  });

  it('tells the real node (dynamic) from a static busybox', () => {
    expect(isStaticElf(readHead(process.execPath, 4096))).toBe(false);
    if (fs.existsSync('/bin/busybox')) expect(isStaticElf(readHead('/bin/busybox', 4096))).toBe(true);
  });
});
