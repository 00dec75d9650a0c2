// SPDX-License-Identifier: GPL-2.0-only
// KCOV through the addon on this machine. The project's hosts have no KCOV
// (and no debugfs mounted), so kcovOpen must say so as data and nothing may
// throw; on a kernel with KCOV (a coverage guest) the same test traces a
// stat(2). The open's failing steps (open, then KCOV_INIT_TRACE) are reached
// with files that are not kcov.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTraceSource } from '../../../src/explore/kcov.js';
import { isErr, kcovOpen, native } from '../../../src/native/index.js';

describe('kcov on this host', () => {
  it('kcovOpen gives KCOV, or the failing call as data', () => {
    const k = kcovOpen(1 << 16);
    if (isErr(k)) {
      expect(k.syscall).toBe('open');
      expect(['ENOENT', 'EACCES', 'EPERM']).toContain(k.code);
      expect(isErr(openTraceSource())).toBe(true);
      return;
    }
    // a kernel with KCOV: a stat(2) on this thread leaves PCs, nothing after disable
    expect(k.reset()).toBe(0);
    expect(k.enable()).toBe(0);
    native.stat('/');
    expect(k.disable()).toBe(0);
    const pcs = k.collect();
    expect(isErr(pcs) ? pcs.code : pcs.length).toBeGreaterThan(0);
    expect(k.close()).toBe(0);
    expect(isErr(k.collect())).toBe(true);
  });

  it('a file that is not kcov fails at KCOV_INIT_TRACE (ioctl ENOTTY), as data', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kcov-'));
    try {
      const f = path.join(tmp, 'not-kcov');
      fs.writeFileSync(f, '');
      const k = kcovOpen(16, f);
      expect(isErr(k) && `${k.syscall}: ${k.code}`).toBe('ioctl: ENOTTY');
      const missing = kcovOpen(16, path.join(tmp, 'missing'));
      expect(isErr(missing) && `${missing.syscall}: ${missing.code}`).toBe('open: ENOENT');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('an unknown handle is EBADF as data; malformed arguments throw a usage error', () => {
    for (const call of [native.kcovEnable, native.kcovDisable, native.kcovReset, native.kcovCollect]) {
      const r = call(99999);
      expect(isErr(r) && r.code).toBe('EBADF');
    }
    const c = native.kcovClose(99999);
    expect(isErr(c) && `${c.syscall}: ${c.code}`).toBe('close: EBADF');
    expect(() => native.kcovOpen(1)).toThrow(TypeError);
    expect(() => native.kcovOpen(2.5)).toThrow(TypeError);
    expect(() => native.kcovEnable(-1)).toThrow(TypeError);
    expect(() => kcovOpen(2 ** 27)).toThrow(RangeError);
  });
});
