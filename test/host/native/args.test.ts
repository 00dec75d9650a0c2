// SPDX-License-Identifier: GPL-2.0-only
// The addon refuses arguments a cast would silently change: fd NaN became 0,
// 1.7 became 1 (a write to stdout), 2**32+18 became 18; a NUL cut a path.
import { describe, expect, it } from 'vitest';
import { C, isErr, native } from '../../../src/native/index.js';

describe('addon arguments', () => {
  it('refuses an fd that is not an integer in 0..INT_MAX', () => {
    for (const fd of [NaN, 1.7, 2 ** 32 + 18, -1, Infinity, 2 ** 31]) {
      expect(() => native.close(fd), `close(${fd})`).toThrow(TypeError);
      expect(() => native.write(fd, ''), `write(${fd})`).toThrow(TypeError);
      expect(() => native.read(fd, 1), `read(${fd})`).toThrow(TypeError);
      expect(() => native.getdents64(fd), `getdents64(${fd})`).toThrow(TypeError);
    }
  });

  it('takes AT_FDCWD or an fd as dirfd, nothing else negative', () => {
    expect(() => native.openat(-5, '/', C.O_RDONLY)).toThrow(TypeError);
    const fd = native.openat(C.AT_FDCWD, '/', C.O_RDONLY | C.O_DIRECTORY);
    expect(isErr(fd)).toBe(false);
    const st = native.fstatat(fd as number, '.', 0);
    expect(isErr(st)).toBe(false);
    native.close(fd as number);
  });

  it('refuses offsets a double cannot hold exactly, and negative pread offsets', () => {
    const fd = native.open('/proc/self/stat', C.O_RDONLY) as number;
    try {
      expect(() => native.pread(fd, 1, -1)).toThrow(TypeError);
      expect(() => native.pread(fd, 1, 2 ** 53)).toThrow(TypeError);
      expect(() => native.pread(fd, 1, 0.5)).toThrow(TypeError);
      expect(isErr(native.pread(fd, 1, 0))).toBe(false);
    } finally {
      native.close(fd);
    }
  });

  it('refuses a NUL inside a path instead of cutting it there', () => {
    expect(() => native.open('/proc/self/stat\0/x', C.O_RDONLY)).toThrow(TypeError);
    expect(() => native.stat('/\0etc')).toThrow(TypeError);
  });

  it('chmod/chown family: fd, mode and ids in range, -1 only as "unchanged", NUL refused; errno as data', () => {
    for (const fd of [NaN, 1.7, -1, 2 ** 31]) {
      expect(() => native.fchmod(fd, 0o600), `fchmod(${fd})`).toThrow(TypeError);
      expect(() => native.fchown(fd, -1, -1), `fchown(${fd})`).toThrow(TypeError);
    }
    for (const mode of [-1, 0o10000, 0.5, NaN]) {
      expect(() => native.chmod('/nonexistent', mode), `chmod mode ${mode}`).toThrow(TypeError);
    }
    for (const id of [-2, 2 ** 32 - 1, 2 ** 32, 1.5]) {
      expect(() => native.chown('/nonexistent', id, -1), `chown uid ${id}`).toThrow(TypeError);
      expect(() => native.fchown(0, -1, id), `fchown gid ${id}`).toThrow(TypeError);
    }
    expect(() => native.chmod('/x\0/y', 0o600)).toThrow(TypeError);
    expect(() => native.chown('/x\0/y', -1, -1)).toThrow(TypeError);
    const gone = native.chmod('/nonexistent/tfsr', 0o600);
    expect(isErr(gone) && `${gone.syscall}: ${gone.code}`).toBe('chmod: ENOENT');
    const bad = native.fchown(2 ** 31 - 1, -1, -1);
    expect(isErr(bad) && `${bad.syscall}: ${bad.code}`).toBe('fchown: EBADF');
  });
});
