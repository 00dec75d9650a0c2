// SPDX-License-Identifier: GPL-2.0-only
// debian: kernels: resolve the spec to releases in the private apt lists
// (debian-select.ts), fetch each, and cache what a boot needs
// (vmlinuz, config, the 9p/virtio modules in insmod order) under
// ~/.cache/tracefs-regress/kernels/<release>. A cache entry is verified by
// checksum before use; a damaged one is fetched again.
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../../errors.js';
import { PrivateApt } from '../../host/apt.js';
import { publishDir } from '../../host/publish.js';
import { lockFile, withLock } from '../../host/lock.js';
import { sha256File } from '../../host/hash.js';
import { cacheDirs } from '../../host/paths.js';
import { archiveReleases } from './debian-archive.js';
import { missingText, releasesFrom, type DebianRelease } from './debian-releases.js';
import { selectReleases, type Selection } from './debian-select.js';
import { parseDebianSpec } from './debian-spec.js';
import { insmodOrder, locateTree, stageModules } from '../guest/modules.js';

export interface KernelImage {
  /** debian:6.12 or the path given. */
  spec: string;
  /** uname -r of the kernel, when known. */
  release: string;
  vmlinuz: string;
  config?: string;
  /** Directory holding the plain .ko files listed in insmod order. */
  moduleDir?: string;
  modules: string[];
  /**
   * Booted from the vmlinuz alone: the archive has no modules package for it
   * (so no 9p), and the guest carries its own root (payload.ts, docs/vm-boot.md).
   */
  vmlinuzOnly?: boolean;
}

export interface Manifest {
  release: string;
  packages: string[];
  modules: string[];
  /** Only the vmlinuz was fetched: no modules, and no config when linux-base is absent too. */
  vmlinuzOnly?: boolean;
  sha256: Record<string, string>;
  fetchedAt: string;
}

export { compareVersions } from './debian-order.js';

/** The spec's releases, checked: a bad or unbootable spec is a UsageError before anything is fetched. */
export function selectFor(spec: string, all: DebianRelease[]): Selection {
  const parsed = parseDebianSpec(spec);
  if (!parsed) throw new UsageError(`'${spec}' is not a debian: kernel`);
  return selectReleases(spec, parsed, all);
}

/** A cache entry as a KernelImage if complete and intact; undefined otherwise. */
export function readCacheEntry(dir: string, spec: string): KernelImage | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    for (const [f, sum] of Object.entries(m.sha256)) if (sha256File(path.join(dir, f)) !== sum) return undefined;
    const must = ['vmlinuz', ...(m.vmlinuzOnly ? [] : ['config']), ...m.modules.map((x) => `modules/${x}`)];
    if (!must.every((f) => f in m.sha256)) return undefined;
    return {
      spec,
      release: m.release,
      vmlinuz: path.join(dir, 'vmlinuz'),
      ...('config' in m.sha256 ? { config: path.join(dir, 'config') } : {}),
      moduleDir: path.join(dir, 'modules'),
      modules: m.modules,
      ...(m.vmlinuzOnly ? { vmlinuzOnly: true } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The intact cache entries as releases: what an offline run can still boot. */
export function cachedReleases(): DebianRelease[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(cacheDirs.kernels());
  } catch {
    return [];
  }
  const records = names
    .filter((r) => readCacheEntry(path.join(cacheDirs.kernels(), r), r))
    .map((r) => ({ pkg: `linux-image-${r}` }));
  // An entry holds everything its boot needs: nothing is missing.
  return releasesFrom(records, () => true).map((r) => ({ ...r, packages: [], missing: [] }));
}

type Fetcher = (
  apt: PrivateApt,
  c: DebianRelease,
  dir: string,
  spec: string,
  log: (m: string) => void,
) => Promise<KernelImage>;

/**
 * Every kernel a debian: spec names, fetched or from the cache. When the
 * archive is unreachable, the spec is resolved against the cache alone.
 */
export async function resolveDebian(
  spec: string,
  log: (m: string) => void = () => {},
  apt = new PrivateApt(cacheDirs.apt()),
  fetch: Fetcher = fetchInto,
): Promise<KernelImage[]> {
  return (await planDebian(spec, log, apt, fetch)).fetch();
}

/** A debian: spec's releases, chosen; fetch() brings them all, fetchOne() one of them (a --shard's share). */
export interface DebianPlan {
  releases: DebianRelease[];
  fetch: () => Promise<KernelImage[]>;
  fetchOne: (r: DebianRelease) => Promise<KernelImage>;
}

/**
 * The releases a debian: spec names, chosen (and a bad spec refused) without
 * downloading anything; fetch() then brings each one that is not cached.
 */
export async function planDebian(
  spec: string,
  log: (m: string) => void = () => {},
  apt = new PrivateApt(cacheDirs.apt()),
  fetch: Fetcher = fetchInto,
): Promise<DebianPlan> {
  try {
    await apt.update();
  } catch (e) {
    let offline: Selection;
    try {
      offline = selectFor(spec, cachedReleases());
    } catch (why) {
      throw new EnvironmentError(
        `${(e as Error).message} (and the kernel cache has no match: ${(why as Error).message})`,
      );
    }
    log(
      `archive unreachable; using cached ${offline.releases.map((r) => r.release).join(', ')} (${(e as Error).message})`,
    );
    const cached = (r: DebianRelease) => readCacheEntry(path.join(cacheDirs.kernels(), r.release), spec)!;
    return {
      releases: offline.releases,
      fetch: async () => offline.releases.map(cached),
      fetchOne: async (r) => cached(r),
    };
  }
  const { releases, notes } = selectFor(spec, await archiveReleases(apt));
  for (const n of notes) log(n);
  const fetchOne = (r: DebianRelease) => cachedOrFetched(apt, r, spec, log, fetch);
  return {
    releases,
    fetch: async () => {
      const out: KernelImage[] = [];
      for (const r of releases) out.push(await fetchOne(r));
      return out;
    },
    fetchOne,
  };
}

async function cachedOrFetched(
  apt: PrivateApt,
  r: DebianRelease,
  spec: string,
  log: (m: string) => void,
  fetch: Fetcher,
): Promise<KernelImage> {
  const dir = path.join(cacheDirs.kernels(), r.release);
  const hit = readCacheEntry(dir, spec);
  if (hit) return hit;
  // One fetch of a release at a time: a second `vm` run waits, then finds the entry the first published.
  return withLock(
    lockFile(`kernel-${r.release}`),
    () => {
      const now = readCacheEntry(dir, spec);
      if (now) return now;
      if (fs.existsSync(dir)) log(`cache entry ${dir} is incomplete or damaged; fetching it again`);
      return fetch(apt, r, dir, spec, log);
    },
    { onWait: () => log(`waiting for another run fetching ${r.release}`) },
  );
}

const placesOf = (root: string, release: string, bootPath: string, name: string) =>
  [bootPath, `usr/lib/modules/${release}/${name}`, `lib/modules/${release}/${name}`].map((f) => path.join(root, f));

function tryFindIn(root: string, release: string, bootPath: string, name: string): string | undefined {
  return placesOf(root, release, bootPath, name).find((f) => fs.existsSync(f));
}

/** 6.x ships boot/vmlinuz-<rel>; 7.x's split packages put vmlinuz and config in the modules dir. */
function findIn(root: string, release: string, pkgs: string[], bootPath: string, name: string): string {
  const tries = placesOf(root, release, bootPath, name);
  const hit = tries.find((f) => fs.existsSync(f));
  if (!hit)
    throw new EnvironmentError(
      `${pkgs.join(' ')} has no ${name} (looked for ${tries.map((f) => f.slice(root.length)).join(', ')})`,
    );
  return hit;
}

/** Download, unpack, pick the modules, and publish the cache entry atomically. */
export async function fetchInto(
  apt: PrivateApt,
  c: DebianRelease,
  dir: string,
  spec: string,
  log: (m: string) => void,
): Promise<KernelImage> {
  // 7.x splits the image into linux-binary (vmlinuz), linux-base (config) and linux-modules: c.packages says which.
  if (c.missing.length)
    throw new UsageError(
      `${spec}: ${c.abi}'s ${missingText(c)}; pick a bootable release (\`kernel list --debian --series ${c.series}\`)`,
    );
  const pkgs = c.packages;
  const work = path.join(cacheDirs.downloads(), `${c.release}.${process.pid}`);
  fs.rmSync(work, { recursive: true, force: true });
  log(`fetching ${pkgs.join(' ')}`);
  try {
    const root = await apt.unpack(pkgs, work);
    const bare = !!c.vmlinuzOnly;
    const vmlinuz = findIn(root, c.release, pkgs, `boot/vmlinuz-${c.release}`, 'vmlinuz');
    // linux-base (the config) may be absent too; a vmlinuz-only entry keeps a config only if the binary has one.
    const config = bare
      ? tryFindIn(root, c.release, `boot/config-${c.release}`, 'config')
      : findIn(root, c.release, pkgs, `boot/config-${c.release}`, 'config');
    const order = bare ? { insmod: [] } : await insmodOrder(locateTree(root, c.release));
    const tmp = `${dir}.tmp${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    fs.copyFileSync(vmlinuz, path.join(tmp, 'vmlinuz'));
    if (config) fs.copyFileSync(config, path.join(tmp, 'config'));
    const modules = await stageModules(order.insmod, path.join(tmp, 'modules'));
    const files = ['vmlinuz', ...(config ? ['config'] : []), ...modules.map((m) => `modules/${m}`)];
    const manifest: Manifest = {
      release: c.release,
      packages: pkgs,
      modules,
      ...(bare ? { vmlinuzOnly: true } : {}),
      sha256: Object.fromEntries(files.map((f) => [f, sha256File(path.join(tmp, f))])),
      fetchedAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    // Atomic, and a valid entry a concurrent fetch published first is kept (it may be in use).
    publishDir(tmp, dir, (d) => readCacheEntry(d, spec) !== undefined);
    return readCacheEntry(dir, spec)!;
  } finally {
    // After a failure, neither the download nor a half-built entry stays behind.
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(`${dir}.tmp${process.pid}`, { recursive: true, force: true });
  }
}
