// SPDX-License-Identifier: GPL-2.0-only
// The order of Debian's kernel releases, which ranges, "newest" and bisection
// rely on. Upstream version first (6.12.9 < 6.12.43 < 6.12.118); 6.1's ABI
// names (6.1.0-47 .. 6.1.0-57) carry no upstream version, so they go by their
// package's (6.1.170-3 .. 6.1.192-3), and by ABI number where that ties (three
// ABIs of 6.1.192). Builds of one upstream version go bookworm before trixie,
// each by rebuild: 6.12.90+deb12 < +deb12.1 < +deb13 < +deb13.1.

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

export interface Ordered {
  series: string;
  abi: string;
  upstream?: string;
}

/** Series, then upstream version when both are known, then the ABI name. */
export function compareReleases(a: Ordered, b: Ordered): number {
  return (
    compareVersions(a.series, b.series) ||
    (a.upstream && b.upstream ? compareVersions(a.upstream, b.upstream) : 0) ||
    compareVersions(a.abi, b.abi)
  );
}

/** The upstream version in a Debian package version (6.1.192-3 -> 6.1.192) or a +debN ABI name. */
export function upstreamOf(abi: string, version?: string): string | undefined {
  const v = version && /^(?:\d+:)?(\d+\.\d+\.\d+)(?:[-~+]|$)/.exec(version)?.[1];
  if (v) return v;
  // 6.1.0-57: the .0 is not an upstream patch level.
  return /^(\d+\.\d+\.\d+)\+deb/.exec(abi)?.[1];
}
