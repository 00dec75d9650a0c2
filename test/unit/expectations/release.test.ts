// SPDX-License-Identifier: GPL-2.0-only
// Version ranges of a known crasher against real uname -r strings: releases
// planted inside and outside each range (mainline, each stable series, a
// distro's own backport), and bad input that must not read as "unaffected".
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { affects, compareVersions, parseVersion, type AffectedRanges } from '../../../src/expectations/release.js';
import { loadExpectations } from '../../../src/expectations/parse.js';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';

/** CVE-2026-74605 as kernel/known-bugs.json states it. */
const CVE: AffectedRanges = {
  introduced: '6.8',
  fixed: '7.2-rc7',
  stable: [
    { series: '7.1', fixed: '7.1.9' },
    { series: '6.18', fixed: null, note: 'dropped from 6.18.45' },
    { series: '6.12', fixed: null },
  ],
  distros: [{ distro: 'Debian', release: '*+deb1?-*', series: '6.12', fixed: '6.12.118' }],
};

const AFFECTED = [
  '6.18.15+deb13-amd64', // Debian's 6.18 (trixie-backports): oopsed in a guest
  '6.18.44-fc-v1272', // the development host
  '6.18.44-fc-v782',
  '6.18.45',
  '6.18.45-rc1',
  '6.8.0', // where it came in
  '6.8.0-45-generic', // Ubuntu: the ABI number, not the sublevel; no fix known there
  '6.12.104',
  '6.12.118', // upstream 6.12.y: the backport was dropped
  '6.12.117+deb13-amd64', // Debian before the build known to carry the fix
  '6.19.14',
  '7.0.13+deb13-amd64',
  '7.1.0',
  '7.1.8',
  '7.2.0-rc1',
  '7.2.0-rc6',
];
const NOT_AFFECTED = [
  '6.7.0',
  '6.7.12-fc-v1',
  '6.6.119',
  '6.1.0-57-amd64',
  '6.12.118+deb13-amd64', // Debian's backport
  '6.12.118+deb12-amd64',
  '6.12.130+deb13-amd64',
  '7.1.9',
  '7.1.13+deb13-amd64',
  '7.2.0-rc7',
  '7.2.0-rc8',
  '7.2.0',
  '7.2.6+deb13-amd64',
  '7.3.4+deb13-amd64',
  '8.0.0',
];

describe('parseVersion', () => {
  it('reads the version at the start of a release and nothing after it', () => {
    expect(parseVersion('6.18.15+deb13-amd64')).toEqual({ major: 6, minor: 18, patch: 15 });
    expect(parseVersion('6.18.44-fc-v1272')).toEqual({ major: 6, minor: 18, patch: 44 });
    expect(parseVersion('7.2.0-rc7')).toEqual({ major: 7, minor: 2, patch: 0, rc: 7 });
    expect(parseVersion('7.2-rc7')).toEqual({ major: 7, minor: 2, patch: 0, rc: 7 });
    expect(parseVersion('6.8')).toEqual({ major: 6, minor: 8, patch: 0 });
    expect(parseVersion('6.1.0-57-amd64')).toEqual({ major: 6, minor: 1, patch: 0 });
  });

  it('refuses what does not start with a version', () => {
    for (const bad of ['', 'linux', 'v6.18.15', '6', '6.', '6.18.x', '6.18.15.3', '-6.18.15', '６.18.15'])
      expect(parseVersion(bad), bad).toBeUndefined();
  });

  it('orders an -rc before its release and releases by number, not text', () => {
    const v = (s: string) => parseVersion(s)!;
    expect(compareVersions(v('7.2-rc7'), v('7.2.0'))).toBeLessThan(0);
    expect(compareVersions(v('7.2-rc6'), v('7.2-rc7'))).toBeLessThan(0);
    expect(compareVersions(v('7.2.0-rc7'), v('7.2-rc7'))).toBe(0);
    expect(compareVersions(v('6.9.0'), v('6.18.0'))).toBeLessThan(0);
    expect(compareVersions(v('6.12.9'), v('6.12.104'))).toBeLessThan(0);
    expect(compareVersions(v('7.1.9'), v('7.2-rc7'))).toBeLessThan(0);
  });
});

describe('affects: CVE-2026-74605', () => {
  it.each(AFFECTED)('%s is affected', (release) => {
    expect(affects(CVE, release)).toMatchObject({ affected: true });
  });

  it.each(NOT_AFFECTED)('%s is not affected', (release) => {
    expect(affects(CVE, release)).toMatchObject({ affected: false });
  });

  it('says why, in words a SKIP reason can quote', () => {
    expect(affects(CVE, '6.18.44-fc-v1272').because).toBe('no 6.18.y release has the fix');
    expect(affects(CVE, '7.1.8').because).toBe('the 7.1.y fix is in 7.1.9');
    expect(affects(CVE, '6.12.117+deb13-amd64').because).toBe('Debian has the fix from 6.12.118');
    expect(affects(CVE, '6.12.118+deb13-amd64').because).toBe('Debian carries the fix from 6.12.118 on');
    expect(affects(CVE, '7.1.9').because).toBe('has the 7.1.y backport (7.1.9)');
    expect(affects(CVE, '7.2.0-rc7').because).toBe('has the mainline fix (7.2-rc7)');
    expect(affects(CVE, '6.7.0').because).toBe('older than 6.8, where the bug came in');
  });

  it('a distro backport applies to that distro only: a release the glob does not match keeps the upstream verdict', () => {
    expect(affects(CVE, '6.12.118-fc-v1').affected).toBe(true);
    expect(affects(CVE, '6.12.118+deb13-amd64').affected).toBe(false);
  });

  it('a release with no version cannot be ruled out: affected (a crash is the worse mistake)', () => {
    for (const bad of ['', 'custom', 'linux-6.18']) {
      expect(affects(CVE, bad)).toMatchObject({ affected: true });
      expect(affects(CVE, bad).because).toMatch(/does not start with a kernel version/);
    }
  });

  it('planted bad ranges give other verdicts (the matcher reads the data, not a hard-coded answer)', () => {
    // Without the stable fix, 7.1.9 would be affected; with a 6.18 fix, 6.18.45 would not.
    expect(affects({ ...CVE, stable: [] }, '7.1.9').affected).toBe(true);
    expect(affects({ ...CVE, stable: [{ series: '6.18', fixed: '6.18.45' }] }, '6.18.45').affected).toBe(false);
    expect(affects({ ...CVE, stable: [{ series: '6.18', fixed: '6.18.45' }] }, '6.18.44-fc-v1272').affected).toBe(true);
    expect(affects({ ...CVE, distros: [] }, '6.12.118+deb13-amd64').affected).toBe(true);
    expect(affects({ ...CVE, introduced: '6.1' }, '6.7.0').affected).toBe(true);
    expect(affects({ ...CVE, fixed: '7.3' }, '7.2.6').affected).toBe(true);
  });
});

describe("the shipped file's ranges", () => {
  const file = path.resolve(import.meta.dirname, '..', '..', '..', 'kernel', 'known-bugs.json');
  const entries = loadExpectations(
    file,
    CATALOGUE.map((s) => s.id),
  );
  const crasher = entries.find((e) => e.crasher?.id === 'CVE-2026-74605')!.crasher!;

  it('state CVE-2026-74605 as measured: fix f0ece16ffca7, the five listing races, signature eventfs_iterate', () => {
    expect(crasher.fix.commit).toBe('f0ece16ffca7');
    expect(crasher.scenarios).toEqual([
      'race-getdents',
      'race-getdents-sibling',
      'race-drop-caches',
      'race-instances',
      'race-recreate',
    ]);
    expect(crasher.signature).toEqual(['eventfs_iterate']);
    for (const r of AFFECTED) expect(affects(crasher.affected, r).affected, r).toBe(true);
    for (const r of NOT_AFFECTED) expect(affects(crasher.affected, r).affected, r).toBe(false);
  });
});
