// SPDX-License-Identifier: GPL-2.0-only
// The archive's generic amd64 kernel releases, from the package lists: what
// each needs downloaded for a boot, and which of those the archive lacks. The
// fetcher (kernels.ts) downloads exactly `packages`, so "bootable" and what a
// fetch does cannot drift apart.
import { compareReleases, upstreamOf } from './debian-order.js';

export interface DebianRelease {
  /** Debian's ABI name, as in the package names: 6.18.12+deb13, 6.1.0-57. */
  abi: string;
  /** uname -r, and the cache entry's name: 6.18.12+deb13-amd64. */
  release: string;
  series: string;
  /** 6.18.12; 6.1's from its package version; undefined when unknown. */
  upstream?: string;
  /** The image package's version in the lists: 6.18.12-1~bpo13+1. */
  version?: string;
  /** The linux-image package. */
  pkg: string;
  /** What a boot needs downloaded. */
  packages: string[];
  /** Those of `packages` the archive does not hold: non-empty means it cannot be booted. */
  missing: string[];
  /**
   * The split packages the archive lacks when it still holds the vmlinuz
   * (linux-binary): the release boots from the vmlinuz alone (`packages` is
   * then just that), with a self-contained guest (docs/vm-boot.md).
   */
  vmlinuzOnly?: string[];
}

/** One image package as the lists describe it. */
export interface ImageRecord {
  pkg: string;
  version?: string;
  depends?: string;
}

/** Generic amd64 images (cloud, rt, -dbg, -unsigned and meta-packages excluded). */
export const IMAGE_RE = /^linux-image-((\d+)\.(\d+)(?:\.\d+)(?:-\d+)?(?:\+deb\d+(?:\.\d+)?)?)-amd64$/;

/**
 * The releases, oldest first. inArchive says whether the lists hold a
 * package: 7.x (and 6.19) split the image into linux-binary (vmlinuz),
 * linux-base (config) and linux-modules, and the archive may keep only some.
 */
export function releasesFrom(records: ImageRecord[], inArchive: (pkg: string) => boolean): DebianRelease[] {
  const out: DebianRelease[] = [];
  for (const r of records) {
    const m = IMAGE_RE.exec(r.pkg);
    if (!m) continue;
    const abi = m[1]!;
    const split = /\blinux-binary-/.test(r.depends ?? '');
    const all = split ? ['binary', 'modules', 'base'].map((k) => `linux-${k}-${abi}-amd64`) : [r.pkg];
    const absent = all.filter((p) => !inArchive(p));
    // Without modules (9p) or base (config) the vmlinuz still boots, with the guest's root in its initramfs.
    const vmlinuzOnly = split && absent.length > 0 && !absent.includes(all[0]!);
    const packages = vmlinuzOnly ? [all[0]!] : all;
    out.push({
      abi,
      release: `${abi}-amd64`,
      series: `${m[2]}.${m[3]}`,
      upstream: upstreamOf(abi, r.version),
      ...(r.version ? { version: r.version } : {}),
      pkg: r.pkg,
      packages,
      missing: vmlinuzOnly ? [] : absent,
      ...(vmlinuzOnly ? { vmlinuzOnly: absent } : {}),
    });
  }
  return out.sort(compareReleases);
}

/** linux-modules-6.19.14+deb13-amd64 -> linux-modules */
const kindOf = (pkg: string) => /^(linux-[a-z]+)-/.exec(pkg)?.[1] ?? pkg;

/** "linux-modules and linux-base packages are" (what the release lacks), or undefined when bootable. */
export function missingText(r: DebianRelease): string | undefined {
  return r.missing.length ? lackText(r.missing) : undefined;
}

/** What a vmlinuz-only release lacks ("linux-modules and linux-base packages are not in the archive"), else undefined. */
export function vmlinuzOnlyText(r: DebianRelease): string | undefined {
  return r.vmlinuzOnly?.length ? lackText(r.vmlinuzOnly) : undefined;
}

function lackText(pkgs: string[]): string {
  const kinds = pkgs.map(kindOf);
  const list = kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}`;
  return `${list} package${kinds.length === 1 ? ' is' : 's are'} not in the archive`;
}

/** Why a release cannot be booted, for `kernel list` and errors; undefined when it can. */
export function whyNotBootable(r: DebianRelease): string | undefined {
  return missingText(r);
}

/** How a bootable release boots, for `kernel list`: "bootable", or "bootable (vmlinuz only: ...)". */
export function bootText(r: DebianRelease): string {
  const lacks = vmlinuzOnlyText(r);
  return lacks ? `bootable (vmlinuz only: ${lacks})` : 'bootable';
}
