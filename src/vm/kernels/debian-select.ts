// SPDX-License-Identifier: GPL-2.0-only
// Which releases a debian: spec names, against the archive's list (oldest
// first): a series is its newest bootable release, a wildcard or a range every
// bootable release it spans. What was skipped, and why, comes back as notes
// for stderr; a spec that names nothing bootable is a UsageError naming the fix.
import { UsageError } from '../../errors.js';
import { compareVersions } from './debian-order.js';
import type { DebianRelease } from './debian-releases.js';
import { missingText, vmlinuzOnlyText } from './debian-releases.js';
import type { DebianSpec, Endpoint } from './debian-spec.js';

export interface Selection {
  releases: DebianRelease[];
  /** One line each: what the spec resolved to, what it skipped and why. */
  notes: string[];
}

const bootable = (r: DebianRelease) => r.missing.length === 0;

/** The releases a spelling names: ABI name, uname -r, package name or version, or upstream (every build of it). */
export function matchRelease(text: string, all: DebianRelease[]): DebianRelease[] {
  const t = text.replace(/^linux-image-/, '').replace(/-amd64$/, '');
  return all.filter((r) => t === r.abi || t === r.version || t === r.upstream);
}

function seriesList(all: DebianRelease[]): string {
  return [...new Set(all.map((r) => r.series))].sort(compareVersions).join(', ');
}

function inSeries(series: string, all: DebianRelease[], spec: string): DebianRelease[] {
  const pool = all.filter((r) => r.series === series);
  if (!pool.length)
    throw new UsageError(`unknown Debian kernel series '${series}' in ${spec}; available: ${seriesList(all)}, latest`);
  return pool;
}

function findRelease(text: string, all: DebianRelease[], spec: string): DebianRelease[] {
  const hits = matchRelease(text, all);
  if (hits.length) return hits;
  const series = /^(?:linux-image-)?(\d+\.\d+)/.exec(text)?.[1] ?? '';
  const pool = all.filter((r) => r.series === series);
  const has = pool.length
    ? `${series} has ${pool.map((r) => r.abi).join(', ')} (\`kernel list --debian --series ${series}\`)`
    : `the series it names is not there either; available: ${seriesList(all)}`;
  throw new UsageError(`${spec}: no release ${text} in the Debian archive; ${has}`);
}

/** The error for a pool with nothing bootable in it, naming what the archive lacks and a way out. */
function nothingBootable(spec: string, pool: DebianRelease[], all: DebianRelease[]): UsageError {
  const lacks = [...new Set(pool.map((r) => missingText(r)!))].join('; ');
  const first = pool[0]!;
  const oneSeries = pool.every((r) => r.series === first.series);
  const span = `${pool.length} releases ${oneSeries ? `of ${first.series} ` : ''}(${first.abi}..${pool.at(-1)!.abi})`;
  const head = pool.length === 1 ? `${first.abi}'s ${lacks}` : `none of the ${span} can be booted: their ${lacks}`;
  const good = all.filter(bootable);
  const near = good.find((r) => compareVersions(r.series, first.series) > 0)?.series ?? good.at(-1)?.series;
  const fix =
    oneSeries && good.some((r) => r.series === first.series)
      ? `pick a bootable release, e.g. \`kernel list --debian --series ${first.series}\``
      : near
        ? `pick a bootable one, e.g. debian:${near} (\`kernel list --debian\` marks them)`
        : 'the archive holds no bootable release';
  return new UsageError(`${spec}: ${head} (not even the vmlinuz): ${fix}`);
}

/** The newest bootable of a pool, with a note naming it (and any newer release skipped). */
function newest(spec: string, what: string, pool: DebianRelease[], all: DebianRelease[]): Selection {
  const best = pool.filter(bootable).at(-1);
  if (!best) throw nothingBootable(spec, pool, all);
  const skipped = pool.slice(pool.indexOf(best) + 1);
  const why = skipped.length
    ? `; skipped newer ${skipped.map((r) => r.abi).join(', ')}: ${[...new Set(skipped.map((r) => missingText(r)))].join('; ')}`
    : '';
  return { releases: [best], notes: [`${spec} is ${best.abi} (the newest bootable ${what}${why})${alone(best)}`] };
}

/** "; it boots from its vmlinuz alone (...)" for a release whose modules the archive lacks. */
function alone(r: DebianRelease): string {
  const lacks = vmlinuzOnlyText(r);
  return lacks ? `; it boots from its vmlinuz alone (${lacks})` : '';
}

/** Every bootable release of a pool, with a note for what was skipped. */
function every(spec: string, pool: DebianRelease[], all: DebianRelease[]): Selection {
  const ok = pool.filter(bootable);
  if (!ok.length) throw nothingBootable(spec, pool, all);
  const skipped = pool.filter((r) => !bootable(r));
  const notes = [`${spec} is ${ok.length} release${ok.length === 1 ? '' : 's'}: ${ok.map((r) => r.abi).join(', ')}`];
  const bare = ok.filter((r) => r.vmlinuzOnly);
  if (bare.length)
    notes.push(
      `${spec}: ${bare.map((r) => r.abi).join(', ')} boot from the vmlinuz alone (no modules package in the archive)`,
    );
  if (skipped.length)
    notes.push(
      `${spec}: skipped ${skipped.length} that cannot be booted: ` +
        [...new Set(skipped.map((r) => r.series))]
          .map((s) => {
            const of = skipped.filter((r) => r.series === s);
            return `${of.map((r) => r.abi).join(', ')} (${missingText(of[0]!)})`;
          })
          .join('; '),
    );
  return { releases: ok, notes };
}

/** Where a range end falls in the sorted list: the first (from) or last (to) release it names. */
function endIndex(e: Endpoint, side: 'from' | 'to', all: DebianRelease[], spec: string): number {
  const hits = e.kind === 'series' ? inSeries(e.series, all, spec) : findRelease(e.text, all, spec);
  return all.indexOf(side === 'from' ? hits[0]! : hits.at(-1)!);
}

/** The releases `spec` names (all: the archive's, oldest first). */
export function selectReleases(spec: string, parsed: DebianSpec, all: DebianRelease[]): Selection {
  switch (parsed.kind) {
    case 'latest':
      if (!all.length) throw new UsageError(`${spec}: the Debian package lists hold no kernel image`);
      return newest(spec, 'release', all, all);
    case 'series':
      return newest(spec, `of ${parsed.series}`, inSeries(parsed.series, all, spec), all);
    case 'every':
      return every(spec, inSeries(parsed.series, all, spec), all);
    case 'release': {
      const hits = findRelease(parsed.text, all, spec);
      if (hits.length === 1) {
        if (!bootable(hits[0]!)) throw nothingBootable(spec, hits, all);
        const a = alone(hits[0]!);
        return { releases: hits, notes: a ? [`${spec} is ${hits[0]!.abi}${a}`] : [] };
      }
      const builds = hits.map((r) => r.abi).join(', ');
      return newest(spec, `build of ${parsed.text}: ${builds}; name one to pick another`, hits, all);
    }
    case 'range': {
      const lo = endIndex(parsed.from, 'from', all, spec);
      const hi = endIndex(parsed.to, 'to', all, spec);
      if (lo > hi)
        throw new UsageError(
          `kernel range '${spec}' runs backwards (${all[lo]!.abi} is newer than ${all[hi]!.abi}): swap its ends`,
        );
      return every(spec, all.slice(lo, hi + 1), all);
    }
  }
}
