// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  entryName,
  QEMU_BIN,
  readQemuEntry,
  resolveBackportsQemu,
  type QemuInstall,
  type QemuManifest,
} from '../../../../src/vm/qemu/backports.js';
import { sha256File } from '../../../../src/host/hash.js';
import type { PrivateApt } from '../../../../src/host/apt.js';
import { EnvironmentError } from '../../../../src/errors.js';

const V = '1:10.0.2+ds-2+deb13u1~bpo12+1';

describe('backports QEMU cache', () => {
  let home: string;
  const old = process.env.XDG_CACHE_HOME;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-qcache-'));
    process.env.XDG_CACHE_HOME = home;
  });
  afterEach(() => {
    process.env.XDG_CACHE_HOME = old;
    fs.rmSync(home, { recursive: true, force: true });
  });
  const qdir = (v: string) => path.join(home, 'tracefs-regress', 'qemu', entryName(v));

  function writeEntry(dir: string, debVersion: string): void {
    const files: Record<string, string> = {
      [QEMU_BIN]: `#!/bin/sh\necho "QEMU emulator version 10.0.2"\n`,
      'usr/share/qemu/linuxboot_dma.bin': 'rom',
      'usr/share/qemu/keymaps/en-us': 'map',
      'usr/share/seabios/bios-256k.bin': 'bios',
    };
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    const m: QemuManifest = {
      debVersion,
      packages: ['qemu-system-x86/bookworm-backports'],
      sha256: Object.fromEntries(Object.keys(files).map((f) => [f, sha256File(path.join(dir, f))])),
      fetchedAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  }

  const fakeApt = { update: async () => {}, version: async () => V } as unknown as PrivateApt;

  it('names entries without the epoch', () => {
    expect(entryName(V)).toBe('10.0.2+ds-2+deb13u1~bpo12+1');
  });

  it('reads an intact entry: the binary and -L dirs for the QEMU data and SeaBIOS', () => {
    const dir = qdir(V);
    writeEntry(dir, V);
    expect(readQemuEntry(dir)).toEqual({
      debVersion: V,
      bin: path.join(dir, 'usr/bin/qemu-system-x86_64'),
      dataDirs: [path.join(dir, 'usr/share/qemu'), path.join(dir, 'usr/share/seabios')],
      dir,
    });
  });

  it('rejects a damaged binary, a missing BIOS, and a truncated manifest', () => {
    const dir = qdir(V);
    writeEntry(dir, V);
    fs.appendFileSync(path.join(dir, QEMU_BIN), 'garbage');
    expect(readQemuEntry(dir)).toBeUndefined();
    writeEntry(dir, V);
    fs.rmSync(path.join(dir, 'usr/share/seabios/bios-256k.bin'));
    expect(readQemuEntry(dir)).toBeUndefined();
    writeEntry(dir, V);
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as QemuManifest;
    delete m.sha256['usr/share/seabios/bios-256k.bin'];
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    expect(readQemuEntry(dir)).toBeUndefined(); // a manifest that does not cover the BIOS is incomplete
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"trunc');
    expect(readQemuEntry(dir)).toBeUndefined();
  });

  it("reuses an intact entry of the archive's version without fetching", async () => {
    writeEntry(qdir(V), V);
    const q = await resolveBackportsQemu(
      () => {},
      fakeApt,
      async () => {
        throw new Error('must not fetch');
      },
    );
    expect(q.bin).toBe(path.join(qdir(V), QEMU_BIN));
  });

  it('fetches a damaged entry again, saying so, and asks for the backports version', async () => {
    writeEntry(qdir(V), V);
    fs.writeFileSync(path.join(qdir(V), 'usr/share/qemu/linuxboot_dma.bin'), 'truncated');
    const asked: string[] = [];
    const apt = { update: async () => {}, version: async (p: string) => (asked.push(p), V) } as unknown as PrivateApt;
    const logs: string[] = [];
    let fetchedTo = '';
    const q = await resolveBackportsQemu(
      (m) => logs.push(m),
      apt,
      async (_a, v, d): Promise<QemuInstall> => {
        fetchedTo = d;
        writeEntry(d, v);
        return readQemuEntry(d)!;
      },
    );
    expect(asked).toEqual(['qemu-system-x86/bookworm-backports']);
    expect(fetchedTo).toBe(qdir(V));
    expect(logs.join('\n')).toMatch(/damaged; fetching it again/);
    expect(q.debVersion).toBe(V);
  });

  it('uses the newest cached entry when the archive is unreachable, and fails without one', async () => {
    const offline = {
      update: async () => {
        throw new EnvironmentError('cannot update');
      },
    } as unknown as PrivateApt;
    await expect(resolveBackportsQemu(() => {}, offline)).rejects.toThrow(/cannot update/);
    writeEntry(qdir('1:9.2.1+ds-1~bpo12+1'), '1:9.2.1+ds-1~bpo12+1');
    writeEntry(qdir(V), V);
    const logs: string[] = [];
    expect((await resolveBackportsQemu((m) => logs.push(m), offline)).debVersion).toBe(V);
    expect(logs[0]).toMatch(/archive unreachable; using the cached QEMU/);
  });
});
