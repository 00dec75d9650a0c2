// SPDX-License-Identifier: GPL-2.0-only
// The resolver's prefix split (native/root.cc split_root_path) and setRoot's
// refusals. A path is resolved beneath the root fd only when it is the root
// or under `root/`; a '..' under the root is refused rather than resolved.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { C, isErr, native } from '../../../src/native/index.js';

const R = '/sys/kernel/tracing';

describe('splitRootPath', () => {
  const cases: [string, string, string | undefined][] = [
    [R, 'inside', '.'],
    [`${R}/`, 'inside', '.'],
    [`${R}//`, 'inside', '.'],
    [`${R}/uprobe_events`, 'inside', 'uprobe_events'],
    [`${R}//events//g/e/enable`, 'inside', 'events//g/e/enable'],
    [`${R}/events/g/./enable`, 'inside', 'events/g/./enable'],
    [`${R}/events/..foo/enable`, 'inside', 'events/..foo/enable'],
    [`${R}/events/g/e/enable...`, 'inside', 'events/g/e/enable...'],
    [`${R}/..`, 'escapes', undefined],
    [`${R}/../../../tmp/x/uprobe_events`, 'escapes', undefined],
    [`${R}/events/../uprobe_events`, 'escapes', undefined],
    [`${R}/events/g/..`, 'escapes', undefined],
    [`${R}//..//x`, 'escapes', undefined],
    // Prefix but not a child, and everything else: passed to the kernel as given.
    [`${R}2`, 'outside', undefined],
    [`${R}2/uprobe_events`, 'outside', undefined],
    [`${R}_x/events`, 'outside', undefined],
    ['/sys/kernel/tracin', 'outside', undefined],
    ['/sys/kernel//tracing/events', 'outside', undefined],
    ['sys/kernel/tracing/events', 'outside', undefined],
    ['enable', 'outside', undefined],
    ['../ev/enable', 'outside', undefined],
    ['/proc/sys/vm/drop_caches', 'outside', undefined],
    ['', 'outside', undefined],
  ];
  for (const [p, where, rel] of cases) {
    it(`${JSON.stringify(p)} is ${where}${rel ? ` as ${rel}` : ''}`, () => {
      const s = native.splitRootPath(R, p);
      expect(s.where).toBe(where);
      expect(s.where === 'inside' ? s.rel : undefined).toBe(rel);
    });
  }

  it('an empty prefix holds nothing', () => {
    expect(native.splitRootPath('', '/x').where).toBe('outside');
  });
});

describe('setRoot', () => {
  it('refuses a path that is not canonical (realpath form) with EINVAL', () => {
    for (const p of ['/', 'sys/kernel/tracing', `${R}/`, `${R}/../tracing`, `${R}/./`, '/sys//kernel/tracing', '']) {
      const r = native.setRoot(p);
      expect(isErr(r) && r.code, p).toBe('EINVAL');
    }
    expect(native.rootPath()).toBeUndefined();
  });

  it('refuses a directory that is not tracefs with EMEDIUMTYPE, and registers nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-rootfd-unit-'));
    try {
      fs.writeFileSync(path.join(dir, 'uprobe_events'), '');
      const r = native.setRoot(fs.realpathSync(dir));
      expect(isErr(r) && r.code).toBe('EMEDIUMTYPE');
      expect(native.rootPath()).toBeUndefined();
      // Without a root, paths pass through as before: writes anywhere work.
      const fd = native.open(path.join(dir, 'uprobe_events'), C.O_WRONLY | C.O_APPEND);
      expect(isErr(fd)).toBe(false);
      native.close(fd as number);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses malformed arguments with a TypeError', () => {
    expect(() => native.setRoot(`${R}\0x`)).toThrow(TypeError);
    expect(() => native.setRoot(R, ['relative'])).toThrow(TypeError);
    expect(() => native.setRoot(R, [`/a\0b`])).toThrow(TypeError);
    expect(() => native.setRoot(R, 'x' as unknown as string[])).toThrow(TypeError);
    expect(() => native.splitRootPath(R, `${R}/\0`)).toThrow(TypeError);
  });

  it('clearRoot says whether a root was set', () => {
    expect(native.clearRoot()).toBe(false);
  });
});
