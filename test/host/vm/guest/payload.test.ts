// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  parseLdd,
  payloadEntries,
  payloadItems,
  runtimePackages,
  type PackageJson,
} from '../../../../src/vm/guest/payload.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

describe("the self-contained guest's payload", () => {
  it('takes the libraries ldd names, the loader too, and not the vdso or a missing one', () => {
    const out = `	linux-vdso.so.1 (0x00007ffd)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f0c)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f0d)
	libgone.so.1 => not found
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0e)
	/lib64/ld-linux-x86-64.so.2 (0x00007f0f)`;
    expect(parseLdd(out)).toEqual([
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  it('resolves the runtime dependencies as node does: nested first, then up the tree; dev dependencies stay out', () => {
    const pkgs: Record<string, PackageJson> = {
      '/p': { dependencies: { a: '1', b: '1' } },
      '/p/node_modules/a': { dependencies: { c: '2' } },
      '/p/node_modules/a/node_modules/c': {},
      '/p/node_modules/b': { dependencies: { c: '1' }, optionalDependencies: { d: '1' } },
      '/p/node_modules/c': {},
      '/p/node_modules/vitest': {},
    };
    expect(runtimePackages('/p', (d) => pkgs[d])).toEqual([
      '/p/node_modules/a',
      '/p/node_modules/a/node_modules/c',
      '/p/node_modules/b',
      '/p/node_modules/c',
    ]);
  });

  it('lists every parent directory before the files (the kernel makes none), each once', () => {
    const e = payloadEntries(
      [
        { path: '/usr/bin/node', type: 'file', from: '/usr/bin/node', mode: 0o755 },
        { path: '/lib64/ld-linux-x86-64.so.2', type: 'file', from: '/x/ld.so', mode: 0o755 },
        { path: '/work/p/node_modules/.bin/x', type: 'symlink', target: '../x/cli.js' },
      ],
      (f) => Buffer.from(`content of ${f}`),
    );
    expect(e.map((x) => `${x.type} ${x.path}`)).toEqual([
      'dir lib64',
      'dir usr',
      'dir usr/bin',
      'dir work',
      'dir work/p',
      'dir work/p/node_modules',
      'dir work/p/node_modules/.bin',
      'file usr/bin/node',
      'file lib64/ld-linux-x86-64.so.2',
      'symlink work/p/node_modules/.bin/x',
    ]);
    expect(e[8]).toMatchObject({ data: Buffer.from('content of /x/ld.so'), mode: 0o755 });
  });

  it('a package whose addon is only a prebuild (after prebuildify, or installed from the tarball) carries it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-payload-'));
    try {
      fs.writeFileSync(path.join(root, 'package.json'), '{"name":"p","version":"1.0.0"}');
      const pre = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
      fs.mkdirSync(pre, { recursive: true });
      fs.writeFileSync(path.join(pre, 'tracefs-regress.glibc.node'), 'addon');
      fs.mkdirSync(path.join(root, 'prebuilds', 'linux-arm64'));
      fs.writeFileSync(path.join(root, 'prebuilds', 'linux-arm64', 'other.node'), 'not this machine');
      const paths = (await payloadItems(root)).map((i) => i.path);
      expect(paths).toContain(path.join(pre, 'tracefs-regress.glibc.node'));
      expect(paths.some((p) => p.includes('linux-arm64'))).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it.skipIf(!fs.existsSync(path.join(ROOT, 'dist', 'vm', 'guest', 'relay.js')))(
    "this package's payload: node and its loader, the relay, the addon, runtime dependencies, no dev tools",
    async () => {
      const paths = (await payloadItems(ROOT)).map((i) => i.path);
      const rel = (p: string) => path.join(ROOT, p);
      expect(paths).toContain(process.execPath);
      expect(paths.some((p) => /\/ld-linux-x86-64\.so\.2$/.test(p))).toBe(true);
      for (const p of [
        'package.json',
        'bin/tracefs-regress.js',
        'dist/vm/guest/relay.js',
        'schema/report.schema.json',
        'kernel/known-bugs.json',
        'node_modules/execa/package.json',
        'node_modules/commander/package.json',
      ])
        expect(paths).toContain(rel(p));
      expect(paths.some((p) => p.endsWith('.node') && /\/(build\/Release|prebuilds\/[^/]+)\//.test(p))).toBe(true);
      expect(
        paths.some((p) => p.startsWith(rel('node_modules/vitest/')) || p.startsWith(rel('node_modules/typescript/'))),
      ).toBe(false);
      expect(
        paths.some((p) => p.includes('/obj.target/') || p.startsWith(rel('src/vm')) || p.startsWith(rel('test/'))),
      ).toBe(false);
    },
  );
});
