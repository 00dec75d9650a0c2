// SPDX-License-Identifier: GPL-2.0-only
// The bounded reader behind --expect and `report FILE`: regular files only,
// checked on the fd before a byte is read, and never more than the cap.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputFileError, readBounded, sizeText } from '../../../src/util/read-bounded.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-read-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const refusal = (file: string, max = 1 << 20): string => {
  try {
    readBounded(file, max);
  } catch (e) {
    expect(e).toBeInstanceOf(InputFileError);
    return (e as Error).message;
  }
  throw new Error(`read ${file}`);
};

describe('readBounded', () => {
  it('reads a regular file whole, up to the cap exactly', () => {
    const f = path.join(dir, 'ok.json');
    fs.writeFileSync(f, 'x'.repeat(1000));
    expect(readBounded(f, 1000)).toBe('x'.repeat(1000));
  });

  it('refuses a FIFO at once, without waiting for a writer (open is non-blocking)', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    expect(refusal(fifo)).toBe('is a FIFO, not a regular file');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('refuses /dev/zero, a directory and a missing file before reading anything', () => {
    expect(refusal('/dev/zero')).toBe('is a character device, not a regular file');
    expect(refusal(dir)).toBe('is a directory, not a regular file');
    expect(refusal(path.join(dir, 'missing'))).toBe('cannot read it (ENOENT)');
  });

  it('refuses a file over the cap, by its size or (a /proc file says 0) by what it gives', () => {
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, Buffer.alloc((1 << 20) + 1, 0x20));
    expect(refusal(big)).toBe('is larger than 1 MiB, more than such a file can be');
    expect(fs.statSync('/proc/self/maps').size).toBe(0);
    expect(refusal('/proc/self/maps', 16)).toBe('is larger than 16 bytes, more than such a file can be');
    expect(readBounded('/proc/self/status', 1 << 20)).toMatch(/^Name:/);
  });

  it('says sizes as people read them', () => {
    expect(sizeText(1 << 20)).toBe('1 MiB');
    expect(sizeText(64 << 20)).toBe('64 MiB');
    expect(sizeText(1000)).toBe('1000 bytes');
  });
});
