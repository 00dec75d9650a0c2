// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/errors.js';
import { releasesFrom } from '../../../../src/vm/kernels/debian-releases.js';
import { matchRelease, selectReleases } from '../../../../src/vm/kernels/debian-select.js';
import { parseDebianSpec } from '../../../../src/vm/kernels/debian-spec.js';
import { archive, archiveWithoutVmlinuz } from '../debian-fixture.js';

const ALL = archive();
/** Planted: 6.19..7.1 without their vmlinuz too, for the paths that find nothing bootable. */
const NONE = archiveWithoutVmlinuz();
const select = (spec: string, all = ALL) => selectReleases(spec, parseDebianSpec(spec)!, all);
const abis = (spec: string) => select(spec).releases.map((r) => r.abi);

function usageError(spec: string, all = ALL): string {
  try {
    select(spec, all);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error(`${spec} was accepted`);
}

describe('which releases a debian: spec names (the archive of 2026-12-04)', () => {
  it('a series is its newest bootable release, and the note says so', () => {
    expect(abis('debian:6.18')).toEqual(['6.18.15+deb13']);
    expect(abis('debian:6.1')).toEqual(['6.1.0-57']);
    expect(abis('debian:6.12')).toEqual(['6.12.118+deb13']);
    expect(select('debian:6.18').notes).toEqual(['debian:6.18 is 6.18.15+deb13 (the newest bootable of 6.18)']);
    expect(abis('debian:latest')).toEqual(['7.3.4+deb13']);
  });

  it('skips unbootable releases for a series and latest, saying which and why', () => {
    // Planted: the archive drops 7.3.4's modules; latest and 7.3 must not pick it.
    const dropped = ALL.map((r) =>
      r.abi === '7.3.4+deb13' ? { ...r, missing: ['linux-modules-7.3.4+deb13-amd64'] } : r,
    );
    const latest = select('debian:latest', dropped);
    expect(latest.releases.map((r) => r.abi)).toEqual(['7.2.12+deb13']);
    expect(latest.notes[0]).toMatch(
      /debian:latest is 7\.2\.12\+deb13 \(the newest bootable release; skipped newer 7\.3\.4\+deb13: linux-modules package is not in the archive\)/,
    );
    expect(usageError('debian:7.3', dropped)).toMatch(/7\.3\.4\+deb13's linux-modules package is not in the archive/);
  });

  it('a series whose modules the archive lacks is its newest release, booted from the vmlinuz alone, and the note says so', () => {
    for (const [s, want] of [
      ['6.19', '6.19.14+deb13'],
      ['7.0', '7.0.13+deb13'],
      ['7.1', '7.1.13+deb13'],
    ] as const) {
      const r = select(`debian:${s}`);
      expect(r.releases.map((x) => x.abi)).toEqual([want]);
      expect(r.notes).toEqual([
        `debian:${s} is ${want} (the newest bootable of ${s}); it boots from its vmlinuz alone ` +
          '(linux-modules and linux-base packages are not in the archive)',
      ]);
    }
    expect(select('debian:7.1.3').notes[0]).toMatch(
      /^debian:7\.1\.3 is 7\.1\.3\+deb13; it boots from its vmlinuz alone/,
    );
    expect(abis('debian:6.19.*')).toHaveLength(6);
  });

  it('a series with no bootable release is an error naming the series, what is missing and a way out', () => {
    for (const s of ['6.19', '7.0', '7.1']) {
      const msg = usageError(`debian:${s}`, NONE);
      expect(msg).toMatch(new RegExp(`^debian:${s}: none of the \\d+ releases of ${s} \\(`));
      expect(msg).toMatch(/their linux-binary, linux-modules and linux-base packages are not in the archive/);
      expect(msg).toMatch(/\(not even the vmlinuz\): pick a bootable one, e\.g\. debian:7\.2/);
      expect(msg).not.toMatch(/network|not supported/);
    }
    expect(usageError('debian:6.19.*', NONE)).toMatch(
      /none of the 6 releases of 6\.19 \(6\.19\.6\+deb13\.\.6\.19\.14\+deb13\)/,
    );
  });

  it('an exact release that cannot be booted says what the archive lacks, not the network', () => {
    expect(usageError('debian:6.19.14', NONE)).toBe(
      "debian:6.19.14: 6.19.14+deb13's linux-binary, linux-modules and linux-base packages are not in the archive " +
        '(not even the vmlinuz): pick a bootable one, e.g. debian:7.2 (`kernel list --debian` marks them)',
    );
  });

  it('takes every spelling of a release', () => {
    for (const t of [
      '6.18.12',
      '6.18.12+deb13',
      '6.18.12+deb13-amd64',
      '6.18.12-1~bpo13+1',
      'linux-image-6.18.12+deb13-amd64',
    ])
      expect(abis(`debian:${t}`)).toEqual(['6.18.12+deb13']);
    expect(abis('debian:6.1.0-47')).toEqual(['6.1.0-47']);
    expect(abis('debian:6.1.170')).toEqual(['6.1.0-47']);
    expect(abis('debian:6.12.90+deb12')).toEqual(['6.12.90+deb12']);
    expect(abis('debian:6.12.90-2')).toEqual(['6.12.90+deb13.1']);
    expect(abis('debian:6.12.118-1~deb12u1')).toEqual(['6.12.118+deb12']);
  });

  it('an upstream version with several builds is the newest build, and the note names the others', () => {
    const s = select('debian:6.12.90');
    expect(s.releases.map((r) => r.abi)).toEqual(['6.12.90+deb13.1']);
    expect(s.notes[0]).toMatch(
      /6\.12\.90\+deb12, 6\.12\.90\+deb12\.1, 6\.12\.90\+deb13, 6\.12\.90\+deb13\.1; name one/,
    );
    expect(abis('debian:6.1.192')).toEqual(['6.1.0-57']);
    expect(matchRelease('6.1.192', ALL).map((r) => r.abi)).toEqual(['6.1.0-55', '6.1.0-56', '6.1.0-57']);
  });

  it('a wildcard is every release of the series', () => {
    expect(abis('debian:6.18.*')).toEqual(['6.18.5+deb13', '6.18.9+deb13', '6.18.12+deb13', '6.18.15+deb13']);
    expect(abis('debian:6.1.*')).toHaveLength(11);
  });

  it('a range is every bootable release between its ends, inclusive, vmlinuz-only ones included', () => {
    const all = select('debian:6.16..7.3');
    expect(all.releases).toHaveLength(29);
    expect(all.notes[1]).toMatch(
      /^debian:6\.16\.\.7\.3: 6\.19\.6\+deb13, .*7\.1\.13\+deb13 boot from the vmlinuz alone/,
    );
  });

  it('a range says what it skipped', () => {
    const r = select('debian:6.16..7.3', NONE);
    expect(r.releases.map((x) => x.abi)).toEqual([
      '6.16.3+deb13',
      '6.16.12+deb13',
      '6.17.8+deb13',
      '6.17.13+deb13',
      '6.18.5+deb13',
      '6.18.9+deb13',
      '6.18.12+deb13',
      '6.18.15+deb13',
      '7.2.6+deb13',
      '7.2.9+deb13',
      '7.2.11+deb13',
      '7.2.12+deb13',
      '7.3.4+deb13',
    ]);
    expect(r.notes[1]).toMatch(/^debian:6\.16\.\.7\.3: skipped 16 that cannot be booted/);
    expect(r.notes[1]).toMatch(
      /6\.19\.6\+deb13, .*6\.19\.14\+deb13 \(linux-binary, linux-modules and linux-base packages are not/,
    );
    expect(abis('debian:6.18.9..6.18.12')).toEqual(['6.18.9+deb13', '6.18.12+deb13']);
    expect(abis('debian:6.18.12..6.18')).toEqual(['6.18.12+deb13', '6.18.15+deb13']);
    expect(abis('debian:6.1.0-55..6.1.0-56')).toEqual(['6.1.0-55', '6.1.0-56']);
    // An end naming several builds spans all of them.
    expect(abis('debian:6.12.117..6.12.118')).toEqual([
      '6.12.117+deb12',
      '6.12.117+deb13',
      '6.12.118+deb12',
      '6.12.118+deb13',
    ]);
    expect(abis('debian:6.18..6.18')).toHaveLength(4);
  });

  it.each([
    ['debian:5.10', /unknown Debian kernel series '5\.10' in debian:5\.10; available: 6\.1, 6\.12, .*7\.3, latest/],
    ['debian:5.10.*', /unknown Debian kernel series '5\.10'/],
    [
      'debian:6.18.13',
      /no release 6\.18\.13 in the Debian archive; 6\.18 has 6\.18\.5\+deb13, .* \(`kernel list --debian --series 6\.18`\)/,
    ],
    ['debian:5.10.1', /no release 5\.10\.1 .*the series it names is not there either; available: 6\.1/],
    ['debian:6.18.12..6.18.5', /runs backwards \(6\.18\.12\+deb13 is newer than 6\.18\.5\+deb13\): swap its ends/],
    ['debian:6.16..8.0', /unknown Debian kernel series '8\.0'/],
  ])('%s is a UsageError naming the fix', (spec, why) => {
    expect(usageError(spec)).toMatch(why);
  });

  it('a range of releases without even a vmlinuz is a UsageError naming the fix', () => {
    expect(usageError('debian:6.19..7.1', NONE)).toMatch(
      /none of the 16 releases \(6\.19\.6\+deb13\.\.7\.1\.13\+deb13\) can be booted.*e\.g\. debian:7\.2/,
    );
  });

  it('an empty archive is an error for latest', () => {
    expect(
      usageError(
        'debian:latest',
        releasesFrom([], () => true),
      ),
    ).toMatch(/hold no kernel image/);
  });
});
