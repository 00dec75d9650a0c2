// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { listed, listingTable } from '../../../../src/vm/kernels/debian-list.js';
import { archive, archiveWithoutVmlinuz } from '../debian-fixture.js';

describe('kernel list --debian', () => {
  const all = archive();
  const rows = all.map((r) => listed(r, r.abi === '6.18.15+deb13' ? '/cache/kernels/6.18.15+deb13-amd64' : undefined));

  it('one row per release: spec, bootable or why not, cached or not', () => {
    expect(rows).toHaveLength(76);
    expect(rows.find((r) => r.abi === '6.19.14+deb13')).toMatchObject({
      spec: 'debian:6.19.14+deb13',
      series: '6.19',
      version: '6.19.14-1~bpo13+1',
      bootable: true,
      packages: ['linux-binary-6.19.14+deb13-amd64'],
      missing: [],
      vmlinuzOnly: ['linux-modules-6.19.14+deb13-amd64', 'linux-base-6.19.14+deb13-amd64'],
      boot: 'bootable (vmlinuz only: linux-modules and linux-base packages are not in the archive)',
    });
    const gone = listed(archiveWithoutVmlinuz().find((x) => x.abi === '6.19.14+deb13')!);
    expect(gone).toMatchObject({
      bootable: false,
      why: 'linux-binary, linux-modules and linux-base packages are not in the archive',
    });
    expect(gone.boot).toBe(`not bootable: ${gone.why}`);
    const r = rows.find((x) => x.abi === '6.18.15+deb13')!;
    expect(r).toMatchObject({ bootable: true, cached: '/cache/kernels/6.18.15+deb13-amd64', upstream: '6.18.15' });
    expect(r.why).toBeUndefined();
  });

  it('prints a table with a count line', () => {
    const t = listingTable({ listsUpdated: '2026-12-04T15:38:13.133Z', releases: rows }).split('\n');
    expect(t[0]).toMatch(/^release +series +package version +cache +boot$/);
    expect(t.find((l) => l.startsWith('6.18.15+deb13 '))).toMatch(/6\.18 +6\.18\.15-1~bpo13\+1 +cached +bootable$/);
    expect(t.find((l) => l.startsWith('7.0.4+deb13 '))).toMatch(
      / - +bootable \(vmlinuz only: linux-modules and linux-base/,
    );
    expect(t.at(-2)).toBe(
      '76 releases, 76 bootable (16 from the vmlinuz alone), 1 cached; package lists of 2026-12-04T15:38:13.133Z',
    );
  });
});
