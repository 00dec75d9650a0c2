// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../src/errors.js';
import {
  downloadError,
  archiveHosts,
  parseDeb822,
  parseOneLine,
  privateSourcesList,
  PrivateApt,
  systemSources,
} from '../../../src/host/apt.js';

const DEB822 = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

describe('apt sources', () => {
  it('parses deb822 stanzas', () => {
    const s = parseDeb822(DEB822);
    expect(s).toHaveLength(2);
    expect(s[0]).toMatchObject({
      uri: 'http://deb.debian.org/debian',
      suites: ['bookworm', 'bookworm-updates'],
      components: ['main'],
    });
    expect(s[1]!.suites).toEqual(['bookworm-security']);
  });

  it('skips deb-src and disabled stanzas', () => {
    expect(parseDeb822('Types: deb-src\nURIs: http://x/debian\nSuites: bookworm\n')).toEqual([]);
    expect(parseDeb822('Types: deb\nEnabled: no\nURIs: http://x/debian\nSuites: bookworm\n')).toEqual([]);
  });

  it('parses one-line entries with options and comments', () => {
    const s = parseOneLine(
      '# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main contrib\ndeb-src http://x/debian bookworm main\n',
    );
    expect(s).toEqual([
      {
        uri: 'http://mirror.example/debian',
        suites: ['bookworm'],
        components: ['main', 'contrib'],
        signedBy: '/k.gpg',
      },
    ]);
  });

  it('finds the archive and security hosts the system uses, ignoring third-party repos', () => {
    const sources = [
      ...parseOneLine('deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n'),
      ...parseDeb822(DEB822.replaceAll('deb.debian.org', 'mirror.local:3142')),
    ];
    expect(archiveHosts(sources)).toEqual({
      archive: 'http://mirror.local:3142/debian',
      security: 'http://mirror.local:3142/debian-security',
      signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
    });
  });

  it('derives the security URI from the archive when none is configured', () => {
    const h = archiveHosts(parseOneLine('deb http://ftp.example.org/debian/ bookworm main\n'));
    expect(h.security).toBe('http://ftp.example.org/debian-security');
    expect(h.signedBy).toBe('/usr/share/keyrings/debian-archive-keyring.gpg');
  });

  it('refuses when no Debian archive is configured', () => {
    expect(() => archiveHosts(parseOneLine('deb http://ppa.example/ubuntu jammy main\n'))).toThrow(/no Debian archive/);
    // the machine's apt setup, not the user's input: an environment error (exit 2 all the same)
    expect(() => archiveHosts([])).toThrow(EnvironmentError);
  });

  it('writes one line per suite with the kernel-bearing suites', () => {
    const list = privateSourcesList({
      archive: 'http://m/debian',
      security: 'http://m/debian-security',
      signedBy: '/k.gpg',
    });
    const lines = list.split('\n').filter((l) => l.startsWith('deb '));
    expect(lines).toContain('deb [signed-by=/k.gpg] http://m/debian bookworm-backports main');
    expect(lines).toContain('deb [signed-by=/k.gpg] http://m/debian trixie-backports main');
    expect(lines).toContain('deb [signed-by=/k.gpg] http://m/debian-security trixie-security main');
    for (const l of lines) expect(l.split(' ')).toHaveLength(5);
  });

  it('reads sources.list and sources.list.d from an etc dir', () => {
    const etc = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-apt-'));
    fs.mkdirSync(path.join(etc, 'sources.list.d'));
    fs.writeFileSync(path.join(etc, 'sources.list'), 'deb http://a/debian bookworm main\n');
    fs.writeFileSync(path.join(etc, 'sources.list.d', 'debian.sources'), DEB822);
    fs.writeFileSync(path.join(etc, 'sources.list.d', 'x.list.disabled'), 'deb http://nope/debian sid main\n');
    expect(systemSources(etc).map((s) => s.uri)).toEqual([
      'http://a/debian',
      'http://deb.debian.org/debian',
      'http://deb.debian.org/debian-security',
    ]);
    fs.rmSync(etc, { recursive: true });
  });

  it('points every piece of apt state into the private dir', () => {
    const o = new PrivateApt('/c/apt').options().join(' ');
    expect(o).toContain('Dir::Etc::SourceList=/c/apt/sources.list');
    expect(o).toContain('Dir::Etc::SourceParts=/nonexistent');
    expect(o).toContain('Dir::State::Lists=/c/apt/lists');
    expect(o).toContain('Dir::Cache=/c/apt/cache');
  });

  it("keeps apt-cache's binary cache in the private dir (Docker's config turns it off)", () => {
    const o = new PrivateApt('/c/apt').options().join(' ');
    expect(o).toContain('Dir::Cache::pkgcache=pkgcache.bin');
  });

  it('says "check the network" for a failed download only when the lists did name the package', () => {
    const noCandidate =
      "E: Can't select candidate version from package linux-modules-6.19.14+deb13-amd64 as it has no candidate\n" +
      "E: Can't select candidate version from package linux-base-6.19.14+deb13-amd64 as it has no candidate\n";
    const absent = downloadError(['linux-modules-6.19.14+deb13-amd64'], noCandidate).message;
    expect(absent).toMatch(/the archive holds no version of it/);
    expect(absent).not.toMatch(/network/);
    expect(downloadError(['x'], 'E: Unable to locate package x\n').message).not.toMatch(/network/);
    const net =
      'Err:1 http://deb.debian.org/debian trixie-backports/main amd64 x amd64 1\n  Could not resolve host\nE: Failed to fetch http://...\n';
    expect(downloadError(['x'], net).message).toMatch(/check the network$/);
    expect(downloadError(['x'], '').message).toMatch(/\(no error message\); check the network$/);
  });
});
