// SPDX-License-Identifier: GPL-2.0-only
// A QEMU new enough for multi-threaded TCG (>= 8.1), fetched the way kernels
// are: `apt-get download` from bookworm-backports under the private apt state
// (the system's apt configuration is never touched), `dpkg-deb -x`, and a
// cache entry under ~/.cache/tracefs-regress/qemu/<version> that is checked
// by sha256 before each use and published atomically. Debian 12's own
// libraries suffice for this build; the system qemu-system-x86 package (a
// prerequisite anyway) brings them in.
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../../errors.js';
import { PrivateApt } from '../../host/apt.js';
import { publishDir } from '../../host/publish.js';
import { lockFile, withLock } from '../../host/lock.js';
import { sha256File } from '../../host/hash.js';
import { compareVersions } from '../kernels/kernels.js';
import { cacheDirs } from '../../host/paths.js';

export const QEMU_SUITE = 'bookworm-backports';
/**
 * qemu-system-data 10 ships no bios-256k.bin: SeaBIOS is its own package,
 * which the system QEMU reaches through its compiled-in firmware path. Fetching
 * seabios too keeps the BIOS beside this QEMU instead of depending on that.
 */
export const QEMU_PACKAGES = ['qemu-system-x86', 'qemu-system-data', 'qemu-system-common', 'seabios'];
/** What a boot needs from the unpacked packages: the binary and its two data dirs (BIOS, option ROMs, keymaps). */
export const QEMU_BIN = 'usr/bin/qemu-system-x86_64';
export const QEMU_DATA_DIRS = ['usr/share/qemu', 'usr/share/seabios'];

export interface QemuInstall {
  /** Debian version of qemu-system-x86, e.g. 1:10.0.2+ds-2+deb13u1~bpo12+1 */
  debVersion: string;
  bin: string;
  /** Passed as -L, in this order. */
  dataDirs: string[];
  dir: string;
}

export interface QemuManifest {
  debVersion: string;
  packages: string[];
  sha256: Record<string, string>;
  fetchedAt: string;
}

/** Cache dir name of a Debian version (the epoch's ':' left out of paths). */
export function entryName(debVersion: string): string {
  return debVersion.replace(/^\d+:/, '').replace(/[^A-Za-z0-9.+~_-]/g, '_');
}

function installAt(dir: string, debVersion: string): QemuInstall {
  return { debVersion, bin: path.join(dir, QEMU_BIN), dataDirs: QEMU_DATA_DIRS.map((d) => path.join(dir, d)), dir };
}

/** A cache entry if complete and intact (every file's checksum, the BIOS among them); undefined otherwise. */
export function readQemuEntry(dir: string): QemuInstall | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as QemuManifest;
    const must = [QEMU_BIN, 'usr/share/qemu/linuxboot_dma.bin', 'usr/share/seabios/bios-256k.bin'];
    if (!must.every((f) => f in m.sha256)) return undefined;
    for (const [f, sum] of Object.entries(m.sha256)) if (sha256File(path.join(dir, f)) !== sum) return undefined;
    return installAt(dir, m.debVersion);
  } catch {
    return undefined;
  }
}

/** Newest intact cached entry: the offline fallback. */
function newestCached(): QemuInstall | undefined {
  let names: string[] = [];
  try {
    names = fs.readdirSync(cacheDirs.qemu()).filter((n) => !n.includes('.tmp'));
  } catch {
    return undefined;
  }
  for (const n of names.sort(compareVersions).reverse()) {
    const hit = readQemuEntry(path.join(cacheDirs.qemu(), n));
    if (hit) return hit;
  }
  return undefined;
}

type Fetcher = (apt: PrivateApt, debVersion: string, dir: string, log: (m: string) => void) => Promise<QemuInstall>;

/** The backports QEMU: the cached entry of the archive's current version, else fetched (offline: the newest cached). */
export async function resolveBackportsQemu(
  log: (m: string) => void = () => {},
  apt = new PrivateApt(cacheDirs.apt()),
  fetch: Fetcher = fetchQemuInto,
): Promise<QemuInstall> {
  try {
    await apt.update();
  } catch (e) {
    const cached = newestCached();
    if (!cached) throw e;
    log(`archive unreachable; using the cached QEMU ${cached.debVersion} (${(e as Error).message})`);
    return cached;
  }
  const debVersion = await apt.version(`qemu-system-x86/${QEMU_SUITE}`);
  if (!debVersion) {
    const cached = newestCached();
    if (cached) return cached;
    throw new EnvironmentError(`the package lists have no qemu-system-x86 in ${QEMU_SUITE}`);
  }
  const dir = path.join(cacheDirs.qemu(), entryName(debVersion));
  const hit = readQemuEntry(dir);
  if (hit) return hit;
  // One fetch at a time, as for kernels: the waiter finds the published entry.
  return withLock(
    lockFile(`qemu-${entryName(debVersion)}`),
    () => {
      const now = readQemuEntry(dir);
      if (now) return now;
      if (fs.existsSync(dir)) log(`cache entry ${dir} is incomplete or damaged; fetching it again`);
      return fetch(apt, debVersion, dir, log);
    },
    { onWait: () => log(`waiting for another run fetching QEMU ${debVersion}`) },
  );
}

/** Every regular file under root/rel, as paths relative to root (symlinks inside the packages are followed). */
function filesUnder(root: string, rel: string): string[] {
  const full = path.join(root, rel);
  if (!fs.statSync(full).isDirectory()) return [rel];
  return fs
    .readdirSync(full)
    .sort()
    .flatMap((n) => filesUnder(root, path.join(rel, n)));
}

/** Download, unpack, keep the binary and data dirs, and publish the cache entry atomically. */
export async function fetchQemuInto(
  apt: PrivateApt,
  debVersion: string,
  dir: string,
  log: (m: string) => void,
): Promise<QemuInstall> {
  const pkgs = QEMU_PACKAGES.map((p) => `${p}/${QEMU_SUITE}`);
  const work = path.join(cacheDirs.downloads(), `qemu-${entryName(debVersion)}.${process.pid}`);
  const tmp = `${dir}.tmp${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  log(`fetching QEMU ${debVersion}: ${pkgs.join(' ')}`);
  try {
    const root = await apt.unpack(pkgs, work);
    fs.rmSync(tmp, { recursive: true, force: true });
    for (const rel of [QEMU_BIN, ...QEMU_DATA_DIRS]) {
      if (!fs.existsSync(path.join(root, rel))) throw new EnvironmentError(`${pkgs.join(' ')} has no ${rel}`);
      // dereference: seabios' vgabios.bin is a relative link; the entry holds plain files only.
      fs.cpSync(path.join(root, rel), path.join(tmp, rel), { recursive: true, dereference: true });
    }
    const files = [QEMU_BIN, ...QEMU_DATA_DIRS].flatMap((rel) => filesUnder(tmp, rel));
    const manifest: QemuManifest = {
      debVersion,
      packages: pkgs,
      sha256: Object.fromEntries(files.map((f) => [f, sha256File(path.join(tmp, f))])),
      fetchedAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    // Publish atomically so a concurrent or interrupted fetch never leaves a half entry in place.
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    // Atomic, and a valid entry a concurrent fetch published first is kept (it may be in use).
    publishDir(tmp, dir, (d) => readQemuEntry(d) !== undefined);
    const entry = readQemuEntry(dir);
    if (!entry) throw new EnvironmentError(`the QEMU cache entry ${dir} did not verify after fetching`);
    return entry;
  } finally {
    // After a failure, neither the download nor a half-built entry stays behind.
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
