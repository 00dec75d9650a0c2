import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  candidates,
  compareVersions,
  parseDebianSpec,
  pick,
  readCacheEntry,
  resolveDebian,
  type Candidate,
  type KernelImage,
  type Manifest,
} from '../../../src/vm/kernels.js';
import type { PrivateApt } from '../../../src/host/apt.js';
import { sha256File } from '../../../src/host/hash.js';
import { publishDir } from '../../../src/host/publish.js';
import { EnvironmentError, UsageError } from '../../../src/errors.js';

const NAMES = [
  'linux-image-6.1.0-9-amd64',
  'linux-image-6.1.0-56-amd64',
  'linux-image-6.1.0-56-amd64-dbg',
  'linux-image-6.1.0-56-cloud-amd64',
  'linux-image-6.12-amd64',
  'linux-image-6.12.90+deb12.1-amd64',
  'linux-image-6.12.90+deb13-amd64',
  'linux-image-6.12.118+deb13-amd64',
  'linux-image-6.12.117+deb12-amd64',
  'linux-image-6.18.15+deb13-amd64',
  'linux-image-6.18.15+deb13-rt-amd64',
  'linux-image-7.3.4+deb13-amd64',
  'linux-image-amd64',
];

describe('Debian kernel resolution', () => {
  it('orders versions by their numeric parts', () => {
    expect(compareVersions('6.12.90+deb12.1', '6.12.90+deb13')).toBeLessThan(0);
    expect(compareVersions('6.1.0-9', '6.1.0-56')).toBeLessThan(0);
    expect(compareVersions('6.12.118+deb13', '6.12.117+deb13')).toBeGreaterThan(0);
  });

  it('keeps generic amd64 images only', () => {
    const c = candidates(NAMES).map((x) => x.pkg);
    expect(c).not.toContain('linux-image-6.1.0-56-amd64-dbg');
    expect(c).not.toContain('linux-image-6.1.0-56-cloud-amd64');
    expect(c).not.toContain('linux-image-6.12-amd64');
    expect(c).not.toContain('linux-image-6.18.15+deb13-rt-amd64');
    expect(c).toHaveLength(8);
  });

  it('picks the newest of a series, and the newest series for latest', () => {
    const c = candidates(NAMES);
    expect(pick(c, '6.1').release).toBe('6.1.0-56-amd64');
    expect(pick(c, '6.12').release).toBe('6.12.118+deb13-amd64');
    expect(pick(c, '6.18').pkg).toBe('linux-image-6.18.15+deb13-amd64');
    expect(pick(c, 'latest').series).toBe('7.3');
  });

  it('names the available series for an unknown one', () => {
    expect(() => pick(candidates(NAMES), '5.10')).toThrow(
      /unknown Debian kernel series '5.10'; available: 6.1, 6.12, 6.18, 7.3, latest/,
    );
  });

  it('parses debian: specs strictly', () => {
    expect(parseDebianSpec('debian:6.12')).toBe('6.12');
    expect(parseDebianSpec('debian:latest')).toBe('latest');
    expect(parseDebianSpec('arch/x86/boot/bzImage')).toBeUndefined();
    expect(() => parseDebianSpec('debian:6')).toThrow(UsageError);
    expect(() => parseDebianSpec('debian:6.12; rm')).toThrow(UsageError);
  });
});

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

  const fakeApt = {
    update: async () => {},
    search: async () => NAMES,
    depends: async () => '',
  } as unknown as PrivateApt;

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
    const k = await resolveDebian(
      'debian:6.12',
      () => {},
      fakeApt,
      async () => {
        throw new Error('must not fetch');
      },
    );
    expect(k.vmlinuz).toBe(path.join(home, 'tracefs-regress', 'kernels', '6.12.118+deb13-amd64', 'vmlinuz'));
  });

  it('fetches a corrupt entry again, saying so', async () => {
    const dir = path.join(home, 'tracefs-regress', 'kernels', '6.1.0-56-amd64');
    writeEntry(dir, '6.1.0-56-amd64');
    fs.writeFileSync(path.join(dir, 'vmlinuz'), 'truncated');
    const logs: string[] = [];
    let fetched: Candidate | undefined;
    const k = await resolveDebian(
      'debian:6.1',
      (m) => logs.push(m),
      fakeApt,
      async (_a, c, d, spec): Promise<KernelImage> => {
        fetched = c;
        writeEntry(d, c.release);
        return readCacheEntry(d, spec)!;
      },
    );
    expect(fetched?.pkg).toBe('linux-image-6.1.0-56-amd64');
    expect(logs.join('\n')).toMatch(/damaged; fetching it again/);
    expect(k.release).toBe('6.1.0-56-amd64');
  });

  it('two fetches into an empty cache at once both succeed, fetch once, and leave no temp dir', async () => {
    const kernels = path.join(home, 'tracefs-regress', 'kernels');
    let fetches = 0;
    // Stages and publishes as fetchInto does, slowly enough for the two runs to overlap.
    const slowFetch = async (_a: PrivateApt, c: Candidate, d: string, spec: string): Promise<KernelImage> => {
      fetches++;
      const tmp = `${d}.tmp${fetches}`;
      writeEntry(tmp, c.release);
      await new Promise((r) => setTimeout(r, 300));
      publishDir(tmp, d, (x) => readCacheEntry(x, spec) !== undefined);
      return readCacheEntry(d, spec)!;
    };
    const logs: string[] = [];
    const [a, b] = await Promise.all([
      resolveDebian('debian:6.12', (m) => logs.push(m), fakeApt, slowFetch),
      resolveDebian('debian:6.12', (m) => logs.push(m), fakeApt, slowFetch),
    ]);
    expect(a.vmlinuz).toBe(b.vmlinuz);
    expect(readCacheEntry(path.dirname(a.vmlinuz), 'debian:6.12')).toBeDefined();
    expect(fetches).toBe(1);
    expect(logs.join('\n')).toMatch(/waiting for another run fetching 6\.12/);
    expect(fs.readdirSync(kernels)).toEqual([path.basename(path.dirname(a.vmlinuz))]);
  });

  it('falls back to the newest cached kernel of the series when the archive is unreachable', async () => {
    writeEntry(path.join(home, 'tracefs-regress', 'kernels', '6.12.90+deb13-amd64'), '6.12.90+deb13-amd64');
    const offline = {
      ...fakeApt,
      update: async () => {
        throw new EnvironmentError('cannot update');
      },
    } as unknown as PrivateApt;
    const k = await resolveDebian('debian:6.12', () => {}, offline);
    expect(k.release).toBe('6.12.90+deb13-amd64');
    await expect(resolveDebian('debian:6.1', () => {}, offline)).rejects.toThrow(/cannot update/);
  });
});
