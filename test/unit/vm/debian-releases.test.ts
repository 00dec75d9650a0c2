import { describe, expect, it } from 'vitest';
import { releasesFrom, whyNotBootable } from '../../../src/vm/debian-releases.js';
import { archive } from './debian-fixture.js';

describe("the archive's releases from the package lists", () => {
  it('keeps generic amd64 images only', () => {
    const rs = releasesFrom(
      [
        'linux-image-6.1.0-56-amd64',
        'linux-image-6.1.0-56-amd64-dbg',
        'linux-image-6.1.0-56-cloud-amd64',
        'linux-image-6.12-amd64',
        'linux-image-6.18.15+deb13-rt-amd64',
        'linux-image-6.12.118+deb13-amd64-unsigned',
        'linux-image-amd64',
      ].map((pkg) => ({ pkg })),
      () => true,
    );
    expect(rs.map((r) => r.pkg)).toEqual(['linux-image-6.1.0-56-amd64']);
  });

  it('a split image needs linux-binary, linux-modules and linux-base; the others only themselves', () => {
    const all = archive();
    const r73 = all.find((r) => r.abi === '7.3.4+deb13')!;
    expect(r73.packages).toEqual([
      'linux-binary-7.3.4+deb13-amd64',
      'linux-modules-7.3.4+deb13-amd64',
      'linux-base-7.3.4+deb13-amd64',
    ]);
    expect(r73.missing).toEqual([]);
    // 6.18's image depends on a linux-base the archive lacks, but carries vmlinuz, config and modules itself.
    expect(all.find((r) => r.abi === '6.18.15+deb13')!.packages).toEqual(['linux-image-6.18.15+deb13-amd64']);
  });

  it('marks 6.19.x, 7.0.x and 7.1.x not bootable, and says what the archive lacks', () => {
    const all = archive();
    const not = all.filter((r) => r.missing.length);
    expect([...new Set(not.map((r) => r.series))]).toEqual(['6.19', '7.0', '7.1']);
    expect(not).toHaveLength(16);
    expect(whyNotBootable(not[0]!)).toBe(
      'linux-modules and linux-base packages are not in the archive (only linux-binary, the vmlinuz, is)',
    );
    expect(all.filter((r) => !r.missing.length)).toHaveLength(60);
    expect(whyNotBootable(all[0]!)).toBeUndefined();
  });
});
