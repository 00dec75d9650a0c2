// SPDX-License-Identifier: GPL-2.0-only
// `kernel list --debian`: one row per release the archive holds, whether it
// is in the kernel cache, and whether it can be booted (or what the archive
// lacks). Uses the private lists as they are when the archive is unreachable.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { PrivateApt } from '../../host/apt.js';
import { cacheDirs } from '../../host/paths.js';
import { archiveReleases } from './debian-archive.js';
import { bootText, whyNotBootable, type DebianRelease } from './debian-releases.js';
import { readCacheEntry } from './kernels.js';

export interface ListedRelease {
  /** What --kernel takes: debian:6.18.12+deb13. */
  spec: string;
  abi: string;
  release: string;
  series: string;
  upstream?: string;
  version?: string;
  packages: string[];
  missing: string[];
  bootable: boolean;
  /** The split packages the archive lacks when the release boots from its vmlinuz alone. */
  vmlinuzOnly?: string[];
  /** "bootable", or "bootable (vmlinuz only: ...)"; why not, when not bootable. */
  boot: string;
  /** Why not, when not bootable. */
  why?: string;
  /** The cache entry (intact), when there is one. */
  cached?: string;
}

export interface DebianListing {
  /** When the private lists were last updated (ISO time), if known. */
  listsUpdated?: string;
  releases: ListedRelease[];
}

export function listed(r: DebianRelease, cachedDir?: string): ListedRelease {
  const why = whyNotBootable(r);
  return {
    spec: `debian:${r.abi}`,
    abi: r.abi,
    release: r.release,
    series: r.series,
    ...(r.upstream ? { upstream: r.upstream } : {}),
    ...(r.version ? { version: r.version } : {}),
    packages: r.packages,
    missing: r.missing,
    bootable: !why,
    ...(r.vmlinuzOnly ? { vmlinuzOnly: r.vmlinuzOnly } : {}),
    boot: why ? `not bootable: ${why}` : bootText(r),
    ...(why ? { why } : {}),
    ...(cachedDir ? { cached: cachedDir } : {}),
  };
}

/** The table `kernel list --debian` prints. */
export function listingTable(l: DebianListing): string {
  const rows = l.releases.map((r) => [r.abi, r.series, r.version ?? '-', r.cached ? 'cached' : '-', r.boot]);
  const head = ['release', 'series', 'package version', 'cache', 'boot'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ');
  const n = l.releases.length;
  const ok = l.releases.filter((r) => r.bootable).length;
  const bare = l.releases.filter((r) => r.vmlinuzOnly).length;
  const cached = l.releases.filter((r) => r.cached).length;
  const foot = `${n} release${n === 1 ? '' : 's'}, ${ok} bootable${bare ? ` (${bare} from the vmlinuz alone)` : ''}, ${cached} cached${l.listsUpdated ? `; package lists of ${l.listsUpdated}` : ''}`;
  return [line(head), ...rows.map(line), foot].join('\n') + '\n';
}

/** The archive's releases (one series with `series`), with cache state. */
export async function debianListing(
  opts: { series?: string; log?: (m: string) => void },
  apt = new PrivateApt(cacheDirs.apt()),
): Promise<DebianListing> {
  if (opts.series !== undefined && !/^\d+\.\d+$/.test(opts.series))
    throw new UsageError(`--series '${opts.series}': give major.minor, e.g. --series 6.19`);
  try {
    await apt.update();
  } catch (e) {
    // Stale lists still say what the archive held: list them, and say how old they are.
    if (!fs.existsSync(path.join(apt.dir, 'updated'))) throw e;
    opts.log?.(`${(e as Error).message}; listing the package lists as they are`);
  }
  let all = await archiveReleases(apt);
  if (opts.series !== undefined) {
    const known = [...new Set(all.map((r) => r.series))];
    all = all.filter((r) => r.series === opts.series);
    if (!all.length)
      throw new UsageError(`--series ${opts.series}: the archive has no such series; available: ${known.join(', ')}`);
  }
  let updated: string | undefined;
  try {
    updated = fs.readFileSync(path.join(apt.dir, 'updated'), 'utf8').trim();
  } catch {
    /* never updated */
  }
  const releases = all.map((r) => {
    const dir = path.join(cacheDirs.kernels(), r.release);
    return listed(r, readCacheEntry(dir, `debian:${r.abi}`) ? dir : undefined);
  });
  return { ...(updated ? { listsUpdated: updated } : {}), releases };
}
