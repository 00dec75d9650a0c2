import { describe, expect, it } from 'vitest';
import { defaultName, makeArgs, makeEnv } from '../../../src/kernel/build.js';
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
});
