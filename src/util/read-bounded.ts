// SPDX-License-Identifier: GPL-2.0-only
// Reads a small input file the user named (--expect, `report FILE`) without
// trusting what the name points to: opened non-blocking, so a FIFO cannot hang
// the run in open(2); checked on the fd to be a regular file, so /dev/zero or
// a socket is refused before one byte is read; read at most `maxBytes` (+1 to
// tell a file that grew, or a /proc file that says size 0), never more.
import fs from 'node:fs';
import { notRegular } from './output/special.js';

/** Why the file cannot be read: a message to put after the file's name. */
export class InputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputFileError';
  }
}

/** A size in the units people read: 1 MiB, 64 MiB, 512 bytes. */
export function sizeText(bytes: number): string {
  return bytes >= 1 << 20 && bytes % (1 << 20) === 0 ? `${bytes >> 20} MiB` : `${bytes} bytes`;
}

/** The file's text; throws an InputFileError saying what it is instead of a regular file of at most maxBytes. */
export function readBounded(file: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (e) {
    throw new InputFileError(`cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const st = fs.fstatSync(fd);
    const what = notRegular(st);
    if (what) throw new InputFileError(what === 'not a regular file' ? `is ${what}` : `is ${what}, not a regular file`);
    const tooBig = () => new InputFileError(`is larger than ${sizeText(maxBytes)}, more than such a file can be`);
    if (st.size > maxBytes) throw tooBig();
    const buf = Buffer.alloc(maxBytes + 1);
    let got = 0;
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, got, buf.length - got, null);
      } catch (e) {
        throw new InputFileError(`cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      if (n === 0) break;
      got += n;
      if (got > maxBytes) throw tooBig();
    }
    return buf.toString('utf8', 0, got);
  } finally {
    fs.closeSync(fd);
  }
}
