// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cachedReleases,
  fetchInto,
  planDebian,
  readCacheEntry,
  resolveDebian,
  type KernelImage,
  type Manifest,
} from '../../../../src/vm/kernels/kernels.js';
import type { PrivateApt } from '../../../../src/host/apt.js';
import { sha256File } from '../../../../src/host/hash.js';
import { publishDir } from '../../../../src/host/publish.js';
import { EnvironmentError, UsageError } from '../../../../src/errors.js';
import type { DebianRelease } from '../../../../src/vm/kernels/debian-releases.js';
import { ARCHIVE } from '../../../unit/vm/debian-fixture.js';

describe('kernel cache', () => {
  let home: string;
  const old = process.env.XDG_CACHE_HOME;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-cache-'));
    process.env.XDG_CACHE_HOME = home;
  });
  afterEach(() => {
    process.env.XDG_CACHE_HOME = old;
    fs.rmSync(home, { recursive: true, force: true });
  });

  function writeEntry(dir: string, release: string): void {
    fs.mkdirSync(path.join(dir, 'modules'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'vmlinuz'), `kernel ${release}`);
    fs.writeFileSync(path.join(dir, 'config'), 'CONFIG_KPROBE_EVENTS=y\n');
    fs.writeFileSync(path.join(dir, 'modules', '9p.ko'), 'module');
    const files = ['vmlinuz', 'config', 'modules/9p.ko'];
    const m: Manifest = {
      release,
      packages: [`linux-image-${release}`],
      modules: ['9p.ko'],
      sha256: Object.fromEntries(files.map((f) => [f, sha256File(path.join(dir, f))])),
      fetchedAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  }

  // The archive of 2026-12-04 (fixtures/debian-archive.json), answered as apt-cache would.
  const fakeApt = {
    update: async () => {},
    names: async () => ARCHIVE.names,
    records: async (pkgs: string[]) => ARCHIVE.images.filter((r) => pkgs.includes(r.pkg)),
  } as unknown as PrivateApt;
  // Planted: the archive without the vmlinuz of 6.19..7.1 either (nothing of them boots).
  const withoutVmlinuz = {
    ...fakeApt,
    names: async () => ARCHIVE.names.filter((n) => !/^linux-binary-(6\.19|7\.0|7\.1)\./.test(n)),
  } as unknown as PrivateApt;

  it('a vmlinuz-only entry needs no config nor modules, and says it is one', () => {
    const dir = path.join(home, 'bare');
    fs.mkdirSync(path.join(dir, 'modules'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'vmlinuz'), 'kernel');
    const m: Manifest = {
      release: '7.1.13+deb13-amd64',
      packages: ['linux-binary-7.1.13+deb13-amd64'],
      modules: [],
      vmlinuzOnly: true,
      sha256: { vmlinuz: sha256File(path.join(dir, 'vmlinuz')) },
      fetchedAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    const k = readCacheEntry(dir, 'debian:7.1')!;
    expect(k).toMatchObject({ release: '7.1.13+deb13-amd64', modules: [], vmlinuzOnly: true });
    expect(k.config).toBeUndefined();
    // The same manifest without the flag is an incomplete entry (a boot with 9p needs config and modules).
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...m, vmlinuzOnly: undefined }));
    expect(readCacheEntry(dir, 'debian:7.1')).toBeUndefined();
  });

  it('reads an intact entry and rejects a damaged or incomplete one', () => {
    const dir = path.join(home, 'k');
    writeEntry(dir, '6.12.118+deb13-amd64');
    expect(readCacheEntry(dir, 'debian:6.12')).toMatchObject({ release: '6.12.118+deb13-amd64', modules: ['9p.ko'] });
    fs.appendFileSync(path.join(dir, 'modules', '9p.ko'), 'garbage');
    expect(readCacheEntry(dir, 'debian:6.12')).toBeUndefined();
    writeEntry(dir, '6.12.118+deb13-amd64');
    fs.rmSync(path.join(dir, 'vmlinuz'));
    expect(readCacheEntry(dir, 'debian:6.12')).toBeUndefined();
    writeEntry(dir, '6.12.118+deb13-amd64');
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"trunc');
    expect(readCacheEntry(dir, 'debian:6.12')).toBeUndefined();
  });

  it('reuses an intact entry without fetching', async () => {
    writeEntry(path.join(home, 'tracefs-regress', 'kernels', '6.12.118+deb13-amd64'), '6.12.118+deb13-amd64');
    const [k, more] = await resolveDebian(
      'debian:6.12',
      () => {},
      fakeApt,
      async () => {
        throw new Error('must not fetch');
      },
    );
    expect(more).toBeUndefined();
    expect(k!.vmlinuz).toBe(path.join(home, 'tracefs-regress', 'kernels', '6.12.118+deb13-amd64', 'vmlinuz'));
  });

  it('fetches a corrupt entry again, saying so', async () => {
    const dir = path.join(home, 'tracefs-regress', 'kernels', '6.1.0-57-amd64');
    writeEntry(dir, '6.1.0-57-amd64');
    fs.writeFileSync(path.join(dir, 'vmlinuz'), 'truncated');
    const logs: string[] = [];
    let fetched: DebianRelease | undefined;
    const [k] = await resolveDebian(
      'debian:6.1',
      (m) => logs.push(m),
      fakeApt,
      async (_a, c, d, spec): Promise<KernelImage> => {
        fetched = c;
        writeEntry(d, c.release);
        return readCacheEntry(d, spec)!;
      },
    );
    expect(fetched?.pkg).toBe('linux-image-6.1.0-57-amd64');
    expect(logs.join('\n')).toMatch(/damaged; fetching it again/);
    expect(k!.release).toBe('6.1.0-57-amd64');
  });

  it('two fetches into an empty cache at once both succeed, fetch once, and leave no temp dir', async () => {
    const kernels = path.join(home, 'tracefs-regress', 'kernels');
    let fetches = 0;
    // Stages and publishes as fetchInto does, slowly enough for the two runs to overlap.
    const slowFetch = async (_a: PrivateApt, c: DebianRelease, d: string, spec: string): Promise<KernelImage> => {
      fetches++;
      const tmp = `${d}.tmp${fetches}`;
      writeEntry(tmp, c.release);
      await new Promise((r) => setTimeout(r, 300));
      publishDir(tmp, d, (x) => readCacheEntry(x, spec) !== undefined);
      return readCacheEntry(d, spec)!;
    };
    const logs: string[] = [];
    const [[a], [b]] = (await Promise.all([
      resolveDebian('debian:6.12', (m) => logs.push(m), fakeApt, slowFetch),
      resolveDebian('debian:6.12', (m) => logs.push(m), fakeApt, slowFetch),
    ])) as [KernelImage[], KernelImage[]];
    expect(a!.vmlinuz).toBe(b!.vmlinuz);
    expect(readCacheEntry(path.dirname(a!.vmlinuz), 'debian:6.12')).toBeDefined();
    expect(fetches).toBe(1);
    expect(logs.join('\n')).toMatch(/waiting for another run fetching 6\.12/);
    expect(fs.readdirSync(kernels)).toEqual([path.basename(path.dirname(a!.vmlinuz))]);
  });

  it('falls back to the cached kernels when the archive is unreachable, for every kind of spec', async () => {
    const kdir = path.join(home, 'tracefs-regress', 'kernels');
    for (const r of ['6.12.90+deb13-amd64', '6.18.9+deb13-amd64', '6.18.15+deb13-amd64'])
      writeEntry(path.join(kdir, r), r);
    const offline = {
      ...fakeApt,
      update: async () => {
        throw new EnvironmentError('cannot update');
      },
    } as unknown as PrivateApt;
    const rel = async (spec: string) => (await resolveDebian(spec, () => {}, offline)).map((k) => k.release);
    expect(await rel('debian:6.12')).toEqual(['6.12.90+deb13-amd64']);
    expect(await rel('debian:6.18.*')).toEqual(['6.18.9+deb13-amd64', '6.18.15+deb13-amd64']);
    expect(await rel('debian:6.18.9')).toEqual(['6.18.9+deb13-amd64']);
    expect(await rel('debian:6.12..6.18')).toHaveLength(3);
    await expect(resolveDebian('debian:6.1', () => {}, offline)).rejects.toThrow(
      /cannot update \(and the kernel cache has no match: unknown Debian kernel series '6\.1'/,
    );
    expect(cachedReleases().map((r) => r.abi)).toEqual(['6.12.90+deb13', '6.18.9+deb13', '6.18.15+deb13']);
  });

  it('resolves a range to every bootable release, each fetched once, and skips the unbootable with a note', async () => {
    const fetched: string[] = [];
    const logs: string[] = [];
    const ks = await resolveDebian(
      'debian:6.18.12..7.2.6',
      (m) => logs.push(m),
      fakeApt,
      async (_a, c, d, spec) => {
        fetched.push(c.abi);
        writeEntry(d, c.release);
        return readCacheEntry(d, spec)!;
      },
    );
    expect(ks.map((k) => k.release)).toHaveLength(19);
    expect(fetched.slice(0, 3)).toEqual(['6.18.12+deb13', '6.18.15+deb13', '6.19.6+deb13']);
    expect(fetched.at(-1)).toBe('7.2.6+deb13');
    expect(logs.join('\n')).toMatch(/6\.19\.6\+deb13, .*7\.1\.13\+deb13 boot from the vmlinuz alone/);
  });

  it('planDebian chooses the releases without fetching; fetch() brings them', async () => {
    let fetches = 0;
    const p = await planDebian(
      'debian:7.2.*',
      () => {},
      fakeApt,
      async (_a, c, d, spec) => {
        fetches++;
        writeEntry(d, c.release);
        return readCacheEntry(d, spec)!;
      },
    );
    expect(p.releases.map((r) => r.abi)).toEqual(['7.2.6+deb13', '7.2.9+deb13', '7.2.11+deb13', '7.2.12+deb13']);
    expect(fetches).toBe(0);
    expect(await p.fetch()).toHaveLength(4);
    expect(fetches).toBe(4);
  });

  it('an unbootable series fails before any fetch, naming what the archive lacks (not the network)', async () => {
    const none = async (): Promise<KernelImage> => {
      throw new Error('must not fetch');
    };
    const err = await resolveDebian('debian:7.0', () => {}, withoutVmlinuz, none).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(
      /^debian:7\.0: none of the 6 releases of 7\.0 .*linux-modules and linux-base/,
    );
    expect((err as Error).message).not.toMatch(/network/);
  });

  it('fetchInto refuses a release whose packages the archive lacks, before downloading anything', async () => {
    const r: DebianRelease = {
      abi: '6.19.14+deb13',
      release: '6.19.14+deb13-amd64',
      series: '6.19',
      pkg: 'linux-image-6.19.14+deb13-amd64',
      packages: ['linux-binary-6.19.14+deb13-amd64', 'linux-modules-6.19.14+deb13-amd64'],
      missing: ['linux-modules-6.19.14+deb13-amd64'],
    };
    const apt = { unpack: async () => Promise.reject(new Error('must not download')) } as unknown as PrivateApt;
    await expect(fetchInto(apt, r, path.join(home, 'k'), 'debian:6.19.14', () => {})).rejects.toThrow(
      /^debian:6\.19\.14: 6\.19\.14\+deb13's linux-modules package is not in the archive; pick a bootable release/,
    );
  });
});
