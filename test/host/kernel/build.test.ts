// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildKernel,
  buildLock,
  buildMeta,
  checkBuildDeps,
  checkBuildInput,
  defaultName,
  makeArgs,
  makeEnv,
} from '../../../src/kernel/build.js';
import { acquireLock } from '../../../src/host/lock.js';
import { EnvironmentError, UsageError } from '../../../src/errors.js';
import { debVersionOf, makefileVersion, versionDir } from '../../../src/kernel/source.js';
import { treeKey, validateBuildName } from '../../../src/kernel/tree.js';

describe('kernel build helpers', () => {
  it('names a build after what went into it', () => {
    expect(defaultName('tiny', false, [])).toBe('tiny');
    expect(defaultName('defconfig', true, ['/x/test/mutants/01-revalidate-always-valid.patch'])).toBe(
      'defconfig-kasan-01-revalidate-always-valid',
    );
  });

  it('builds out of tree with ccache for target and host compilers', () => {
    expect(makeArgs(2, ['bzImage'])).toEqual(['O=out', 'CC=ccache gcc', 'HOSTCC=ccache gcc', '-j2', 'bzImage']);
    expect(makeEnv()).toMatchObject({ KBUILD_BUILD_USER: 'tracefs-regress', KBUILD_BUILD_HOST: 'tracefs-regress' });
  });

  it('rejects build names that are not plain directory names', () => {
    expect(validateBuildName('tiny-kasan_1.0')).toBe('tiny-kasan_1.0');
    for (const bad of ['', '../x', 'a/b', '-x', 'a b']) expect(() => validateBuildName(bad)).toThrow(/bad build name/);
  });

  it('keys a tree by its source and the patches applied, in order', () => {
    const p = (sha256: string) => ({ file: sha256, sha256, files: [] });
    expect(treeKey('/s', [p('a'), p('b')])).not.toBe(treeKey('/s', [p('b'), p('a')]));
    expect(treeKey('/s', [])).not.toBe(treeKey('/t', []));
    expect(treeKey('/s', [p('a')])).toBe(treeKey('/s', [p('a')]));
  });

  it('reads Debian source versions and kernel Makefile versions', () => {
    expect(debVersionOf('/d/linux-source-6.12_6.12.117-1~deb12u1_all.deb')).toBe('6.12.117-1~deb12u1');
    expect(debVersionOf('linux-source-6.1_1%3a6.1.5-1_all.deb')).toBe('1:6.1.5-1');
    expect(() => debVersionOf('linux-image-6.12.deb')).toThrow();
    expect(versionDir('1:6.12.117-1~deb12u1')).toBe('1_6.12.117-1_deb12u1');
    expect(makefileVersion('# SPDX\nVERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\nEXTRAVERSION =\n')).toBe('6.12.117');
    expect(makefileVersion('all:\n')).toBeUndefined();
  });

  it('checks the input first: files that exist, a name that makes a directory', () => {
    const all = () => true;
    expect(checkBuildInput({}, all)).toEqual({ name: 'tiny', base: 'tiny', kasan: false, patchFiles: [] });
    expect(checkBuildInput({ base: 'defconfig', kasan: true, patches: ['/m/02-x.patch'] }, all)).toEqual({
      name: 'defconfig-kasan-02-x',
      base: 'defconfig',
      kasan: true,
      patchFiles: ['/m/02-x.patch'],
    });
  });

  it('refuses planted bad input with a UsageError naming the option', () => {
    const none = () => false;
    expect(() => checkBuildInput({ patches: ['/nope.patch'] }, none)).toThrow(UsageError);
    expect(() => checkBuildInput({ patches: ['/nope.patch'] }, none)).toThrow(/--patch \/nope\.patch: no such file/);
    expect(() => checkBuildInput({ fragments: ['/nope.config'] }, none)).toThrow(/--config \/nope\.config: no such file/);
    expect(() => checkBuildInput({ name: '../escape' }, none)).toThrow(UsageError);
  });

  it('records what went into a build before it runs', () => {
    const src = { dir: '/s', label: 'debian linux-source-6.12 6.12.1-1', kernelVersion: '6.12.1' };
    const patches = [{ file: '/m/a.patch', sha256: 'aa', files: ['fs/tracefs/inode.c'] }];
    const m = buildMeta({ name: 'tiny-a', base: 'tiny', kasan: false, patchFiles: ['/m/a.patch'] }, src, patches, 'ck');
    expect(m).toEqual({
      name: 'tiny-a',
      source: '/s',
      sourceLabel: src.label,
      kernelVersion: '6.12.1',
      base: 'tiny',
      kasan: false,
      configKey: 'ck',
      treeKey: treeKey('/s', patches),
      patches,
      complete: false,
    });
  });

  it('a missing compiler or header is an environment error, not bad input', async () => {
    const old = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(checkBuildDeps()).rejects.toThrow(EnvironmentError);
      await expect(checkBuildDeps()).rejects.toThrow(/kernel build needs make, gcc/);
    } finally {
      process.env.PATH = old;
    }
  });
});

describe('two kernel builds of one name at once', () => {
  it('the second waits for the lock the first holds, then runs', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-buildlock-'));
    const old = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = home;
    try {
      // Stands in for a build in progress: the lock a running buildKernel of 'same' holds.
      const first = await acquireLock(buildLock('same'));
      const logs: string[] = [];
      let settled = false;
      // A bogus --source: once it has the lock, the build fails at its first real step.
      const second = buildKernel({ name: 'same', source: path.join(home, 'no-tree'), log: (m) => logs.push(m) });
      void second.catch(() => {}).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 400));
      expect(settled).toBe(false);
      expect(logs.join('\n')).toMatch(/waiting for another tracefs-regress process that holds build 'same'/);
      first.release();
      await expect(second).rejects.toThrow(/no Makefile there|kernel build needs/);
      // A build of another name never waits on it.
      const other = await acquireLock(buildLock('same'));
      const logs2: string[] = [];
      await expect(
        buildKernel({ name: 'other', source: path.join(home, 'no-tree'), log: (m) => logs2.push(m) }),
      ).rejects.toThrow();
      expect(logs2.join('\n')).not.toMatch(/waiting/);
      other.release();
    } finally {
      process.env.XDG_CACHE_HOME = old;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
