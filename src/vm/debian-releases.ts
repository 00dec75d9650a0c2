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
    const packages = split ? ['binary', 'modules', 'base'].map((k) => `linux-${k}-${abi}-amd64`) : [r.pkg];
    out.push({
      abi,
      release: `${abi}-amd64`,
      series: `${m[2]}.${m[3]}`,
      upstream: upstreamOf(abi, r.version),
      ...(r.version ? { version: r.version } : {}),
      pkg: r.pkg,
      packages,
      missing: packages.filter((p) => !inArchive(p)),
    });
  }
  return out.sort(compareReleases);
}

/** linux-modules-6.19.14+deb13-amd64 -> linux-modules */
const kindOf = (pkg: string) => /^(linux-[a-z]+)-/.exec(pkg)?.[1] ?? pkg;

/** "linux-modules and linux-base packages are" (what the release lacks), or undefined when bootable. */
export function missingText(r: DebianRelease): string | undefined {
  if (!r.missing.length) return undefined;
  const kinds = r.missing.map(kindOf);
  const list = kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}`;
  return `${list} package${kinds.length === 1 ? ' is' : 's are'} not in the archive`;
}

/** Why a release cannot be booted, for `kernel list` and errors; undefined when it can. */
export function whyNotBootable(r: DebianRelease): string | undefined {
  const what = missingText(r);
  if (!what) return undefined;
  const vmlinuz = r.packages.find((p) => p.startsWith('linux-binary-') && !r.missing.includes(p));
  return vmlinuz ? `${what} (only linux-binary, the vmlinuz, is)` : what;
}
