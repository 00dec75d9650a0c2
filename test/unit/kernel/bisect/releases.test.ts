// SPDX-License-Identifier: GPL-2.0-only
// `kernel bisect --releases`, its pure parts: which specs give something to
// bisect (against the archive of 2026-12-04), the guest's run options, the
// changelog range between two releases, and the rendering of a report.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/errors.js';
import {
  changelogRange,
  confidenceText,
  guestRunArgs,
  parseBoots,
  selectBisectReleases,
} from '../../../../src/kernel/bisect/releases.js';
import { archive } from '../../vm/debian-fixture.js';

const ALL = archive();
const byAbi = (abi: string) => ALL.find((r) => r.abi === abi)!;

function refused(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('selectBisectReleases', () => {
  it('a wildcard or a range: its bootable releases in the archive order', () => {
    const s = selectBisectReleases('debian:6.18.*', ALL);
    expect(s.releases.map((r) => r.abi)).toEqual(['6.18.5+deb13', '6.18.9+deb13', '6.18.12+deb13', '6.18.15+deb13']);
    const twelve = selectBisectReleases('debian:6.12.*', ALL).releases.map((r) => r.abi);
    expect(twelve).toHaveLength(36);
    expect(twelve.slice(8, 12)).toEqual(['6.12.90+deb12', '6.12.90+deb12.1', '6.12.90+deb13', '6.12.90+deb13.1']);
    // 6.19..7.1 boot from the vmlinuz alone: a range through them bisects them too.
    const wide = selectBisectReleases('debian:6.18..7.2', ALL);
    expect(wide.releases.map((r) => r.series)).toContain('7.0');
    // A range with series ends skips a release that cannot be booted at all (no vmlinuz), with a note.
    const noVmlinuz = ALL.map((r) => (r.abi === '7.0.9+deb13' ? { ...r, missing: [r.pkg] } : r));
    const skipped = selectBisectReleases('debian:6.18..7.2', noVmlinuz);
    expect(skipped.releases.map((r) => r.abi)).not.toContain('7.0.9+deb13');
    expect(skipped.notes.join('\n')).toMatch(/skipped 1 that cannot be booted/);
  });

  it('refuses one release, a series, an empty range and a non-debian spec (exit 2)', () => {
    expect(refused(() => selectBisectReleases('debian:6.12', ALL))).toMatch(/names one release: a bisect needs a range/);
    expect(refused(() => selectBisectReleases('debian:6.18.12', ALL))).toMatch(/names one release/);
    expect(refused(() => selectBisectReleases('debian:latest', ALL))).toMatch(/names one release/);
    expect(refused(() => selectBisectReleases('debian:6.18.12..6.18.12', ALL))).toMatch(
      /holds one bootable release \(6\.18\.12\+deb13\): nothing to bisect/,
    );
    expect(refused(() => selectBisectReleases('/boot/vmlinuz', ALL))).toMatch(/give a debian: range or series/);
  });

  it('refuses a range whose named end cannot be booted, naming it', () => {
    // Planted: the archive lost the vmlinuz of both ends (the only way a release is unbootable now).
    const gone = ALL.map((r) => (['6.19.14+deb13', '7.1.3+deb13'].includes(r.abi) ? { ...r, missing: [r.pkg] } : r));
    expect(refused(() => selectBisectReleases('debian:6.18.5..6.19.14', gone))).toMatch(
      /newest end 6\.19\.14\+deb13 cannot be booted/,
    );
    expect(refused(() => selectBisectReleases('debian:7.1.3..7.2.12', gone))).toMatch(/oldest end 7\.1\.3\+deb13 cannot be booted/);
  });
});

describe('guestRunArgs', () => {
  it('adds --ignore-known-crashers once (the kernel verdict: a known oops is bad)', () => {
    expect(guestRunArgs(['-s', 'race-getdents'])).toEqual(['-s', 'race-getdents', '--ignore-known-crashers']);
    expect(guestRunArgs(['--ignore-known-crashers'])).toEqual(['--ignore-known-crashers']);
  });
  it('refuses report options and --run-known-crashers', () => {
    expect(refused(() => guestRunArgs(['--format', 'ktap']))).toMatch(/--format after --/);
    expect(refused(() => guestRunArgs(['-o', 'x.json']))).toMatch(/-o after --/);
    expect(refused(() => guestRunArgs(['--run-known-crashers']))).toMatch(/needs the kernel's own verdict/);
  });
});

describe('parseBoots', () => {
  it('1..100', () => {
    expect(parseBoots('3')).toBe(3);
    for (const bad of ['0', '101', '2.5', 'x', '-1', ''])
      expect(refused(() => parseBoots(bad))).toMatch(/--boots/);
  });
});

describe('changelogRange', () => {
  it('the upstream stable versions after the first up to the second, with their kernel.org changelogs', () => {
    const c = changelogRange(byAbi('6.12.101+deb13'), byAbi('6.12.105+deb13'));
    expect(c.upstream).toEqual(['6.12.102', '6.12.103', '6.12.104', '6.12.105']);
    expect(c.changelogs[0]).toBe('https://cdn.kernel.org/pub/linux/kernel/v6.x/ChangeLog-6.12.102');
    expect(c.git).toBe('v6.12.101..v6.12.105');
    expect(c.debian).toEqual({ before: '6.12.101-1', after: '6.12.105-1' });
  });
  it('two builds of one upstream version: Debian only', () => {
    const c = changelogRange(byAbi('6.12.90+deb12.1'), byAbi('6.12.90+deb13'));
    expect(c.upstream).toEqual([]);
    expect(c.note).toMatch(/same upstream 6\.12\.90/);
  });
  it('across series: a git range', () => {
    expect(changelogRange(byAbi('6.18.15+deb13'), byAbi('7.2.6+deb13')).git).toBe('v6.18.15..v7.2.6');
  });
});

describe('confidenceText', () => {
  it('states (1-p)^N and the measured catch rate', () => {
    expect(confidenceText({ caught: 1, boots: 2, p: 0.5, missPerStep: 0.25, goodSteps: 2, noMiss: 0.5625 }, 2)).toBe(
      'catch rate at the bad end: 1/2 boots (p = 0.50); a bad release passes 2 clean boot(s) with probability (1-p)^2 = 25%' +
        '; over the 2 good verdict(s), P(none was a missed bad) >= 56% (p from 2 boot(s) only: more --boots measure it better)',
    );
    expect(confidenceText({ caught: 0, boots: 0, goodSteps: 2 }, 3)).toMatch(/no bad end was booted/);
  });
});
