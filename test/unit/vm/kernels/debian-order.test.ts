// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { compareReleases, compareVersions, upstreamOf } from '../../../../src/vm/kernels/debian-order.js';
import { releasesFrom } from '../../../../src/vm/kernels/debian-releases.js';
import { archive } from '../debian-fixture.js';

describe('the order of Debian kernel releases', () => {
  it('orders versions by their numeric runs, not as text', () => {
    expect(['6.12.118', '6.12.9', '6.12.43'].sort(compareVersions)).toEqual(['6.12.9', '6.12.43', '6.12.118']);
    expect(compareVersions('6.1.0-9', '6.1.0-56')).toBeLessThan(0);
    expect(compareVersions('6.1', '6.12')).toBeLessThan(0);
    expect(compareVersions('6.19', '7.0')).toBeLessThan(0);
  });

  it('takes the upstream version from the package version (6.1) or the ABI name', () => {
    expect(upstreamOf('6.1.0-57', '6.1.192-3')).toBe('6.1.192');
    expect(upstreamOf('6.1.0-57')).toBeUndefined();
    expect(upstreamOf('6.12.90+deb12.1', '6.12.90-2~bpo12+1')).toBe('6.12.90');
    expect(upstreamOf('6.18.12+deb13')).toBe('6.18.12');
  });

  it('sorts builds of one upstream release bookworm first, each by rebuild', () => {
    const names = [
      '6.12.90+deb13.1',
      '6.12.9+deb13',
      '6.12.90+deb12',
      '6.12.118+deb12',
      '6.12.90+deb13',
      '6.12.90+deb12.1',
    ];
    const sorted = releasesFrom(
      names.map((abi) => ({ pkg: `linux-image-${abi}-amd64` })),
      () => true,
    ).map((r) => r.abi);
    expect(sorted).toEqual([
      '6.12.9+deb13',
      '6.12.90+deb12',
      '6.12.90+deb12.1',
      '6.12.90+deb13',
      '6.12.90+deb13.1',
      '6.12.118+deb12',
    ]);
  });

  it("sorts 6.1's ABI names by their upstream version, ABI number on a tie", () => {
    const rs = [
      { series: '6.1', abi: '6.1.0-9', upstream: '6.1.190' },
      { series: '6.1', abi: '6.1.0-57', upstream: '6.1.192' },
      { series: '6.1', abi: '6.1.0-55', upstream: '6.1.192' },
      { series: '6.12', abi: '6.12.9+deb13', upstream: '6.12.9' },
    ].sort(compareReleases);
    expect(rs.map((r) => r.abi)).toEqual(['6.1.0-9', '6.1.0-55', '6.1.0-57', '6.12.9+deb13']);
  });

  it('puts the whole archive in a total order (each release once, series ascending)', () => {
    const all = archive();
    expect(all).toHaveLength(76);
    for (let i = 1; i < all.length; i++) expect(compareReleases(all[i - 1]!, all[i]!)).toBeLessThan(0);
    expect(all[0]!.abi).toBe('6.1.0-47');
    expect(all.at(-1)!.abi).toBe('7.3.4+deb13');
    const s612 = all.filter((r) => r.series === '6.12').map((r) => r.abi);
    expect(s612.indexOf('6.12.57+deb12')).toBeLessThan(s612.indexOf('6.12.118+deb12'));
    expect(s612.slice(0, 1)).toEqual(['6.12.43+deb12']);
  });
});
