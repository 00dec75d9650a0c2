// debian:<series> kernels: resolve the series to the newest generic amd64
// package in the private apt lists, fetch it, and cache what a boot needs
// (vmlinuz, config, the 9p/virtio modules in insmod order) under
// ~/.cache/tracefs-regress/kernels/<release>. A cache entry is verified by
// checksum before use; a damaged one is fetched again.
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../errors.js';
import { PrivateApt } from '../host/apt.js';
import { publishDir } from '../host/publish.js';
import { lockFile, withLock } from '../host/lock.js';
import { sha256File } from '../host/hash.js';
import { cacheDirs } from '../host/paths.js';
import { insmodOrder, locateTree, stageModules } from './modules.js';

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
}

export interface Manifest {
  release: string;
  packages: string[];
  modules: string[];
  sha256: Record<string, string>;
  fetchedAt: string;
}

const IMAGE_RE = /^linux-image-((\d+)\.(\d+)(?:\.\d+)(?:-\d+)?(?:\+deb\d+(?:\.\d+)?)?)-amd64$/;

/** Compare dotted/dashed version strings by their numeric runs (6.12.90+deb12.1 < 6.12.90+deb13). */
export function compareVersions(a: string, b: string): number {
  const na = a.match(/\d+/g)?.map(Number) ?? [];
  const nb = b.match(/\d+/g)?.map(Number) ?? [];
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

export interface Candidate {
  pkg: string;
  /** The kernel release (uname -r): 6.12.118+deb13-amd64. */
  release: string;
  series: string;
}

/** Generic amd64 image packages by series (cloud, rt, -dbg and meta-packages excluded). */
export function candidates(names: string[]): Candidate[] {
  const out: Candidate[] = [];
  for (const pkg of names) {
    const m = IMAGE_RE.exec(pkg);
    if (m) out.push({ pkg, release: `${m[1]}-amd64`, series: `${m[2]}.${m[3]}` });
  }
  return out.sort((a, b) => compareVersions(a.release, b.release));
}

/** Pick the newest package of a series ('6.12', or 'latest' for the newest series). */
export function pick(cands: Candidate[], series: string): Candidate {
  const pool = series === 'latest' ? cands : cands.filter((c) => c.series === series);
  const best = pool[pool.length - 1];
  if (!best) {
    const known = [...new Set(cands.map((c) => c.series))].sort(compareVersions);
    throw new UsageError(`unknown Debian kernel series '${series}'; available: ${known.join(', ')}, latest`);
  }
  return best;
}

export function parseDebianSpec(spec: string): string | undefined {
  const m = /^debian:(latest|\d+\.\d+)$/.exec(spec);
  if (spec.startsWith('debian:') && !m) {
    throw new UsageError(`bad kernel '${spec}': use debian:<major.minor> (e.g. debian:6.12) or debian:latest`);
  }
  return m?.[1];
}

/** A cache entry as a KernelImage if complete and intact; undefined otherwise. */
export function readCacheEntry(dir: string, spec: string): KernelImage | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    for (const [f, sum] of Object.entries(m.sha256)) if (sha256File(path.join(dir, f)) !== sum) return undefined;
    const must = ['vmlinuz', 'config', ...m.modules.map((x) => `modules/${x}`)];
    if (!must.every((f) => f in m.sha256)) return undefined;
    return {
      spec,
      release: m.release,
      vmlinuz: path.join(dir, 'vmlinuz'),
      config: path.join(dir, 'config'),
      moduleDir: path.join(dir, 'modules'),
      modules: m.modules,
    };
  } catch {
    return undefined;
  }
}

/** Newest intact cached release of a series: the offline fallback. */
function newestCached(series: string, spec: string): KernelImage | undefined {
  let rels: string[] = [];
  try {
    rels = fs.readdirSync(cacheDirs.kernels());
  } catch {
    return undefined;
  }
  const ok = rels
    .filter((r) => series === 'latest' || r.startsWith(`${series}.`))
    .sort(compareVersions)
    .reverse();
  for (const r of ok) {
    const k = readCacheEntry(path.join(cacheDirs.kernels(), r), spec);
    if (k) return k;
  }
  return undefined;
}

/** Every series the archive offers (for debian:latest and the matrix). */
export async function availableSeries(apt = new PrivateApt(cacheDirs.apt())): Promise<string[]> {
  await apt.update();
  const cands = candidates(await apt.search('^linux-image-[0-9].*-amd64$'));
  return [...new Set(cands.map((c) => c.series))].sort(compareVersions);
}

type Fetcher = (
  apt: PrivateApt,
  c: Candidate,
  dir: string,
  spec: string,
  log: (m: string) => void,
) => Promise<KernelImage>;

export async function resolveDebian(
  spec: string,
  log: (m: string) => void = () => {},
  apt = new PrivateApt(cacheDirs.apt()),
  fetch: Fetcher = fetchInto,
): Promise<KernelImage> {
  const series = parseDebianSpec(spec)!;
  try {
    await apt.update();
  } catch (e) {
    const cached = newestCached(series, spec);
    if (!cached) throw e;
    log(`archive unreachable; using cached ${cached.release} (${(e as Error).message})`);
    return cached;
  }
  const best = pick(candidates(await apt.search('^linux-image-[0-9].*-amd64$')), series);
  const dir = path.join(cacheDirs.kernels(), best.release);
  const hit = readCacheEntry(dir, spec);
  if (hit) return hit;
  // One fetch of a release at a time: a second `vm` run waits, then finds the entry the first published.
  return withLock(
    lockFile(`kernel-${best.release}`),
    () => {
      const now = readCacheEntry(dir, spec);
      if (now) return now;
      if (fs.existsSync(dir)) log(`cache entry ${dir} is incomplete or damaged; fetching it again`);
      return fetch(apt, best, dir, spec, log);
    },
    { onWait: () => log(`waiting for another run fetching ${best.release}`) },
  );
}

/** 6.x ships boot/vmlinuz-<rel>; 7.x's split packages put vmlinuz and config in the modules dir. */
function findIn(root: string, release: string, pkgs: string[], bootPath: string, name: string): string {
  const tries = [bootPath, `usr/lib/modules/${release}/${name}`, `lib/modules/${release}/${name}`].map((f) =>
    path.join(root, f),
  );
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
  c: Candidate,
  dir: string,
  spec: string,
  log: (m: string) => void,
): Promise<KernelImage> {
  // 7.x splits the image into linux-binary (vmlinuz), linux-base (config) and linux-modules.
  const deps = await apt.depends(c.pkg);
  const ver = c.release.replace(/-amd64$/, '');
  const pkgs = /linux-binary-/.test(deps)
    ? [`linux-binary-${ver}-amd64`, `linux-base-${ver}-amd64`, `linux-modules-${ver}-amd64`]
    : [c.pkg];
  const work = path.join(cacheDirs.downloads(), `${c.release}.${process.pid}`);
  fs.rmSync(work, { recursive: true, force: true });
  log(`fetching ${pkgs.join(' ')}`);
  try {
    const root = await apt.unpack(pkgs, work);
    const vmlinuz = findIn(root, c.release, pkgs, `boot/vmlinuz-${c.release}`, 'vmlinuz');
    const config = findIn(root, c.release, pkgs, `boot/config-${c.release}`, 'config');
    const order = await insmodOrder(locateTree(root, c.release));
    const tmp = `${dir}.tmp${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    fs.copyFileSync(vmlinuz, path.join(tmp, 'vmlinuz'));
    fs.copyFileSync(config, path.join(tmp, 'config'));
    const modules = await stageModules(order.insmod, path.join(tmp, 'modules'));
    const files = ['vmlinuz', 'config', ...modules.map((m) => `modules/${m}`)];
    const manifest: Manifest = {
      release: c.release,
      packages: pkgs,
      modules,
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
