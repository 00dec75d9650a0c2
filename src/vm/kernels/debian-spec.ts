// SPDX-License-Identifier: GPL-2.0-only
// `--kernel debian:...` as typed, parsed without the archive, so a typo fails
// before anything is fetched. Which releases a spec names is debian-select.ts's
// job, against the archive's list.
import { UsageError } from '../../errors.js';
import { compareVersions } from './debian-order.js';

/** A range end: a whole series, or one release (every build of it, when the spelling names several). */
export type Endpoint = { kind: 'series'; series: string } | { kind: 'release'; text: string };

export type DebianSpec =
  | { kind: 'latest' }
  /** debian:6.18: the newest bootable release of the series. */
  | { kind: 'series'; series: string }
  /** debian:6.18.*: every release of the series. */
  | { kind: 'every'; series: string }
  /** debian:6.18.12, 6.12.90+deb12, 6.1.0-57(-amd64), 6.18.12-1~bpo13+1, linux-image-...-amd64. */
  | { kind: 'release'; text: string }
  /** debian:6.16..7.3: every release from one end to the other, inclusive. */
  | { kind: 'range'; from: Endpoint; to: Endpoint };

export const DEBIAN_SPEC_FORMS =
  'debian:<series> (6.18), debian:<release> (6.18.12, 6.12.90+deb12, 6.1.0-57), debian:<series>.* (6.19.*), ' +
  'debian:<from>..<to> (6.16..7.3, 6.18.5..6.18.12), or debian:latest';

const SERIES = /^\d+\.\d+$/;
// Upstream (6.18.12), Debian ABI (6.12.90+deb12.1, 6.1.0-57), uname -r (…-amd64), package version
// (6.18.12-1~bpo13+1, 6.12.118-1~deb12u1, 6.1.192-3), or the image package's name.
const RELEASE = /^(?:linux-image-)?\d+\.\d+\.\d+(?:[-+~.][0-9A-Za-z]+)*$/;

const bad = (spec: string, why: string) => new UsageError(`bad kernel '${spec}': ${why}; use ${DEBIAN_SPEC_FORMS}`);

function endpoint(spec: string, text: string): Endpoint {
  if (SERIES.test(text)) return { kind: 'series', series: text };
  if (RELEASE.test(text)) return { kind: 'release', text };
  if (text === '') throw bad(spec, 'a range needs both ends (debian:6.16..7.3)');
  throw bad(spec, `'${text}' is neither a series (6.18) nor a release (6.18.12) as a range end`);
}

function seriesOf(e: Endpoint): string {
  return e.kind === 'series' ? e.series : /(\d+\.\d+)/.exec(e.text)![1]!;
}

/** The spec, or undefined when it is not a debian: one (a bzImage path). */
export function parseDebianSpec(spec: string): DebianSpec | undefined {
  if (!spec.startsWith('debian:')) return undefined;
  const body = spec.slice('debian:'.length);
  if (body === 'latest') return { kind: 'latest' };
  if (body.includes('..')) {
    const ends = body.split('..');
    if (ends.length !== 2) throw bad(spec, 'a range has one `..`');
    const [from, to] = ends.map((e) => endpoint(spec, e)) as [Endpoint, Endpoint];
    // Series order is known now; two releases of one series are ordered against the archive (6.1's ABI names).
    if (compareVersions(seriesOf(from), seriesOf(to)) > 0)
      throw new UsageError(`kernel range '${spec}' runs backwards: write debian:${ends[1]}..${ends[0]}`);
    return { kind: 'range', from, to };
  }
  const every = /^(\d+\.\d+)\.\*$/.exec(body);
  if (every) return { kind: 'every', series: every[1]! };
  if (SERIES.test(body)) return { kind: 'series', series: body };
  if (RELEASE.test(body)) return { kind: 'release', text: body };
  if (/^\d+(\.\*)?$/.test(body))
    throw bad(spec, 'a series is major.minor (debian:7.2); for every 7.x release give a range (debian:7.0..7.3)');
  if (body.includes('*')) throw bad(spec, 'only a whole series takes a wildcard (debian:6.19.*)');
  throw bad(spec, 'not a series, release, wildcard or range');
}

/** Whether the spec always names a single kernel (what --exec needs). */
export function namesOneKernel(spec: string): boolean {
  const s = parseDebianSpec(spec);
  return !s || s.kind === 'latest' || s.kind === 'series' || s.kind === 'release';
}
