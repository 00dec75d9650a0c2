// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepVisible } from '../../../../src/vm/guest/initramfs.js';
import { ByteTail } from '../../../../src/vm/boot/stdio.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-stdio-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("vm --exec: the program's output as QEMU writes it", () => {
  it('hands on every byte once, in order, binary and without a final newline, as the file grows', () => {
    const f = path.join(dir, 'stdout.log');
    const got: Buffer[] = [];
    const t = new ByteTail(f, (b) => got.push(b));
    expect(t.poll()).toBe(false); // QEMU has not created it yet
    const parts = [Buffer.from('line 1\r\n\x00\xff'), Buffer.from([0x1b, 0x5b]), Buffer.from('no newline')];
    for (const p of parts) {
      fs.appendFileSync(f, p);
      t.poll();
    }
    expect(t.poll()).toBe(false);
    t.stop();
    expect(Buffer.concat(got)).toEqual(Buffer.concat(parts));
  });

  it('reads nothing through a symlink planted in its place', () => {
    const target = path.join(dir, 'secret');
    fs.writeFileSync(target, 'secret');
    const f = path.join(dir, 'stdout.log');
    fs.symlinkSync(target, f);
    const got: Buffer[] = [];
    new ByteTail(f, (b) => got.push(b)).stop();
    expect(got).toEqual([]);
  });
});

describe('paths the guest must still see under its fresh /tmp and /run', () => {
  it('binds the program directory back, like the project directory, and nothing outside /tmp and /run', () => {
    const s = keepVisible('/work/main', ['/tmp/x/bin', '/run/y', '/var/tmp/z']);
    expect(s.trim().split('\n')).toEqual([
      'mkdir -p /saved/tmp && mount -o rbind /host/tmp /saved/tmp || fail "bind /tmp"',
      'mount -t tmpfs tmpfs /host/tmp || fail "mount tmpfs on /tmp"',
      "mkdir -p '/host/tmp/x/bin' && mount -o bind '/saved/tmp/x/bin' '/host/tmp/x/bin' || fail 'bind /tmp/x/bin back over the tmpfs'",
      'mkdir -p /saved/run && mount -o rbind /host/run /saved/run || fail "bind /run"',
      'mount -t tmpfs tmpfs /host/run || fail "mount tmpfs on /run"',
      "mkdir -p '/host/run/y' && mount -o bind '/saved/run/y' '/host/run/y' || fail 'bind /run/y back over the tmpfs'",
    ]);
  });
});
