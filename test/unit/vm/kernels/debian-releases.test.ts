// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { bootText, releasesFrom, whyNotBootable } from '../../../../src/vm/kernels/debian-releases.js';
import { archive, archiveWithoutVmlinuz } from '../debian-fixture.js';

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

  it('6.19.x, 7.0.x and 7.1.x boot from the vmlinuz alone: only linux-binary is fetched, and what is absent is said', () => {
    const all = archive();
    const bare = all.filter((r) => r.vmlinuzOnly);
    expect([...new Set(bare.map((r) => r.series))]).toEqual(['6.19', '7.0', '7.1']);
    expect(bare).toHaveLength(16);
    const r = bare.find((x) => x.abi === '6.19.14+deb13')!;
    expect(r.packages).toEqual(['linux-binary-6.19.14+deb13-amd64']);
    expect(r.missing).toEqual([]);
    expect(r.vmlinuzOnly).toEqual(['linux-modules-6.19.14+deb13-amd64', 'linux-base-6.19.14+deb13-amd64']);
    expect(whyNotBootable(r)).toBeUndefined();
    expect(bootText(r)).toBe('bootable (vmlinuz only: linux-modules and linux-base packages are not in the archive)');
    expect(all.filter((x) => !x.missing.length)).toHaveLength(76);
    expect(bootText(all[0]!)).toBe('bootable');
    expect(all.find((x) => x.abi === '7.3.4+deb13')!.vmlinuzOnly).toBeUndefined();
  });

  it('a release without even its vmlinuz is not bootable, and says what the archive lacks', () => {
    const not = archiveWithoutVmlinuz().filter((r) => r.missing.length);
    expect(not).toHaveLength(16);
    expect(not[0]!.vmlinuzOnly).toBeUndefined();
    expect(whyNotBootable(not[0]!)).toBe('linux-binary, linux-modules and linux-base packages are not in the archive');
  });
});
