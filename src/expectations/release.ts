// SPDX-License-Identifier: GPL-2.0-only
// Kernel versions out of `uname -r` and the question "does this kernel carry
// that bug": a known crasher's affected releases are version ranges per stable
// series (a release glob like 6.18.44-fc-* named one build and missed every
// other 6.18.y), ended by the mainline fix, a stable backport, or a distro's
// own backport.
import { globMatch } from '../util/glob.js';

/** major.minor.patch, and the -rcN of a release candidate (undefined for a release). */
export interface KernelVersion {
  major: number;
  minor: number;
  patch: number;
  rc?: number;
}

/**
 * The version at the start of a release string: `6.18.15+deb13-amd64` ->
 * 6.18.15, `7.2.0-rc7` -> 7.2.0-rc7, `7.2-rc7` -> 7.2.0-rc7, `6.8` -> 6.8.0.
 * What follows the version (a distro's or a build's suffix) is not part of it.
 * Undefined when the string does not start with one.
 */
export function parseVersion(release: string): KernelVersion | undefined {
  const m = /^(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(?:-rc(\d{1,3}))?(?=$|[^0-9.])/.exec(release);
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    ...(m[4] !== undefined ? { rc: Number(m[4]) } : {}),
  };
}

/** Negative, 0 or positive as a is older than, the same as, or newer than b; an -rcN comes before its release. */
export function compareVersions(a: KernelVersion, b: KernelVersion): number {
  const rc = (v: KernelVersion) => v.rc ?? Number.POSITIVE_INFINITY;
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || (rc(a) === rc(b) ? 0 : rc(a) < rc(b) ? -1 : 1);
}

/** "6.18": the stable series a version belongs to. */
export const seriesOf = (v: KernelVersion): string => `${v.major}.${v.minor}`;

/** One stable series: the first release with the fix, or null while no released one has it. */
export interface StableFix {
  series: string;
  /** The first release of the series with the bug, where a backport brought it into a series older than `introduced`. */
  introduced?: string;
  fixed: string | null;
  note?: string;
}

/** A distribution's own backport: its kernels (a glob over uname -r) of a series carry the fix from `fixed` on. */
export interface DistroFix {
  distro: string;
  /** Glob over uname -r that tells this distribution's kernels apart, e.g. `*+deb1?-*`. */
  release: string;
  series: string;
  fixed: string;
  note?: string;
}

export interface AffectedRanges {
  /** The first mainline release with the bug, e.g. "6.8". */
  introduced: string;
  /** The first mainline release (or -rc) with the fix, e.g. "7.2-rc7"; later series are not affected. */
  fixed: string;
  stable: StableFix[];
  distros: DistroFix[];
}

/** Whether a kernel release carries the bug, and in words why (for reports and `list`). */
export interface Verdict {
  affected: boolean;
  because: string;
}

/**
 * Which releases carry the bug: from `introduced` up to the mainline fix, in
 * every stable series, except a series' releases from its stable fix on and a
 * distribution's kernels from its own backport on. A release that starts with
 * no version cannot be placed: it counts as affected (a crash is the worse
 * mistake).
 */
export function affects(r: AffectedRanges, release: string): Verdict {
  const v = parseVersion(release);
  if (!v)
    return { affected: true, because: `${release} does not start with a kernel version, so it cannot be ruled out` };
  const at = (s: string) => compareVersions(v, parseVersion(s)!);
  const series = seriesOf(v);
  if (at(r.introduced) < 0) return { affected: false, because: `older than ${r.introduced}, where the bug came in` };
  if (at(r.fixed) >= 0) return { affected: false, because: `has the mainline fix (${r.fixed})` };
  const distro = r.distros.find((d) => d.series === series && globMatch(d.release, release));
  if (distro && at(distro.fixed) >= 0)
    return { affected: false, because: `${distro.distro} carries the fix from ${distro.fixed} on` };
  const stable = r.stable.find((s) => s.series === series);
  if (stable?.fixed && at(stable.fixed) >= 0)
    return { affected: false, because: `has the ${series}.y backport (${stable.fixed})` };
  const because = stable?.fixed
    ? `the ${series}.y fix is in ${stable.fixed}`
    : distro
      ? `${distro.distro} has the fix from ${distro.fixed}`
      : `no ${series}.y release has the fix`;
  return { affected: true, because };
}
