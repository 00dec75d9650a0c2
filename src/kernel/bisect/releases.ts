// SPDX-License-Identifier: GPL-2.0-only
// `kernel bisect --releases debian:<spec>`: bisect over released binaries,
// no build. The spec's bootable releases in the archive's order
// (debian-order.ts), the verdict at both ends, then a binary search
// (search.ts) for the first change of verdict; each boot is a `vm` child
// judged as a `kernel bisect` step is (outcome.ts). The guest runs with
// --ignore-known-crashers: a bisect asks the kernel's own verdict, so the
// known eventfs oops is a FAIL (bad), not the XFAIL a `vm` run makes of it.
import { UsageError } from '../../errors.js';
import { parseDebianSpec, DEBIAN_SPEC_FORMS } from '../../vm/kernels/debian-spec.js';
import { matchRelease, selectReleases } from '../../vm/kernels/debian-select.js';
import { compareVersions } from '../../vm/kernels/debian-order.js';
import { whyNotBootable, type DebianRelease } from '../../vm/kernels/debian-releases.js';
import { IGNORE_KNOWN_CRASHERS } from '../../expectations/apply.js';
import { confidence, searchReleases, type Boot, type Confidence, type SearchResult, type Step } from './search.js';

export const RELEASE_BISECT_SCHEMA = 'tracefs-regress/bisect-releases@1';
export const DEFAULT_RELEASE_BOOTS = 3;
export const MAX_RELEASE_BOOTS = 100;

export interface ReleaseBisectOptions {
  /** debian:<series>.* or debian:<from>..<to>. */
  spec: string;
  boots: number;
  /** vm --timeout for each boot. */
  timeout: string;
  /** `run` options for the guest (after --), as the user gave them. */
  runArgs: string[];
}

/** --boots: a whole number, 1..100. */
export function parseBoots(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_RELEASE_BOOTS)
    throw new UsageError(`--boots '${text}': give a whole number of boots per release, 1 to ${MAX_RELEASE_BOOTS} (e.g. --boots 3)`);
  return n;
}

/** What the guest runs: the user's options, the known crashers as plain failures. */
export function guestRunArgs(runArgs: readonly string[]): string[] {
  for (const a of ['--format', '--output', '-o', '-f']) {
    if (runArgs.includes(a)) throw new UsageError(`${a} after --: the bisect reads each guest's JSON report itself; leave it out`);
  }
  if (runArgs.includes('--run-known-crashers'))
    throw new UsageError(
      '--run-known-crashers after --: a release bisect needs the kernel\'s own verdict (a known oops is "bad"), so it runs the guests with --ignore-known-crashers; leave it out',
    );
  return runArgs.includes(IGNORE_KNOWN_CRASHERS) ? [...runArgs] : [...runArgs, IGNORE_KNOWN_CRASHERS];
}

export interface BisectSelection {
  releases: DebianRelease[];
  notes: string[];
}

/** The releases a bisect spec names (all: the archive's, oldest first); a spec that gives nothing to bisect is a UsageError. */
export function selectBisectReleases(spec: string, all: DebianRelease[]): BisectSelection {
  const parsed = parseDebianSpec(spec);
  if (!parsed)
    throw new UsageError(`--releases '${spec}': give a debian: range or series, e.g. --releases 'debian:6.12.*' or debian:6.16..7.3`);
  if (parsed.kind !== 'every' && parsed.kind !== 'range')
    throw new UsageError(
      `--releases ${spec} names one release: a bisect needs a range, e.g. 'debian:6.12.*' or debian:6.12.90..6.12.118 (forms: ${DEBIAN_SPEC_FORMS})`,
    );
  if (parsed.kind === 'range') {
    // An end named as a release must be booted: a silently moved end would bisect another range.
    // (A series end, debian:6.16..7.1, means "through 7.1": its unbootable releases are skipped with a note.)
    for (const [side, e] of [['oldest', parsed.from], ['newest', parsed.to]] as const) {
      if (e.kind !== 'release') continue;
      const hits = matchRelease(e.text, all);
      const r = side === 'oldest' ? hits[0] : hits.at(-1);
      const why = r && whyNotBootable(r);
      if (r && why)
        throw new UsageError(
          `--releases ${spec}: its ${side} end ${r.abi} cannot be booted (${why}): start or end the range at a bootable release (\`kernel list --debian --series ${r.series}\`)`,
        );
    }
  }
  const sel = selectReleases(spec, parsed, all);
  if (sel.releases.length < 2)
    throw new UsageError(
      `--releases ${spec} holds ${sel.releases.length === 1 ? `one bootable release (${sel.releases[0]!.abi})` : 'no bootable release'}: nothing to bisect; widen the range (\`kernel list --debian\`)`,
    );
  return sel;
}

/** The upstream versions a change spans and where their changelogs are. */
export interface ChangelogRange {
  /** Upstream stable versions after `before` up to and including `after` (same series), e.g. 6.12.118. */
  upstream: string[];
  /** kernel.org ChangeLog files of those versions. */
  changelogs: string[];
  /** git log range in a linux-stable tree. */
  git?: string;
  /** Debian package versions at both ends. */
  debian?: { before?: string; after?: string };
  note?: string;
}

const changelogUrl = (v: string) => `https://cdn.kernel.org/pub/linux/kernel/v${v.split('.')[0]}.x/ChangeLog-${v}`;

/** What changed between two adjacent releases of the bisect: upstream stable versions and the Debian package versions. */
export function changelogRange(before: DebianRelease, after: DebianRelease): ChangelogRange {
  const debian = { ...(before.version ? { before: before.version } : {}), ...(after.version ? { after: after.version } : {}) };
  const a = before.upstream;
  const b = after.upstream;
  if (!a || !b) return { upstream: [], changelogs: [], debian, note: 'the upstream version of an end is unknown' };
  if (a === b)
    return { upstream: [], changelogs: [], debian, note: `the same upstream ${a}: only Debian's build or patches differ` };
  if (before.series !== after.series)
    return { upstream: [], changelogs: [], git: `v${a}..v${b}`, debian, note: `across series ${before.series} -> ${after.series}` };
  const [maj, min, pa] = a.split('.').map(Number) as [number, number, number];
  const pb = Number(b.split('.')[2]);
  const upstream: string[] = [];
  for (let p = Math.min(pa, pb) + 1; p <= Math.max(pa, pb); p++) upstream.push(`${maj}.${min}.${p}`);
  const [x, y] = compareVersions(a, b) < 0 ? [a, b] : [b, a];
  return { upstream, changelogs: upstream.map(changelogUrl), git: `v${x}..v${y}`, debian };
}

export interface ReleaseRef {
  release: string;
  upstream?: string;
  version?: string;
  verdict: 'good' | 'bad';
}

export interface ReleaseBisectReport {
  schema: typeof RELEASE_BISECT_SCHEMA;
  spec: string;
  startedAt: string;
  finishedAt: string;
  boots: number;
  runArgs: string[];
  /** The bootable releases bisected, oldest first. */
  releases: string[];
  notes: string[];
  result: {
    kind: SearchResult['kind'];
    /** One line, as the pretty output's first. */
    summary: string;
    /** kind change: the last release with the old verdict and the first with the new one. */
    before?: ReleaseRef;
    after?: ReleaseRef;
    firstBad?: string;
    firstGood?: string;
    changelog?: ChangelogRange;
    skipped?: string[];
    stoppedBy?: string;
  };
  confidence: Confidence;
  steps: Step[];
}

export interface ReleaseBisectIo {
  /** The spec's releases, sorted, with notes on what was skipped (the archive, or the cache when offline). */
  releases: (spec: string) => Promise<BisectSelection>;
  /** Boots release r once (boot: 0-based number within its step). */
  boot: (r: DebianRelease, boot: number) => Promise<Boot>;
  say: (m: string) => void;
  stopped?: () => NodeJS.Signals | undefined;
  now?: () => Date;
}

const ref = (r: DebianRelease, verdict: 'good' | 'bad'): ReleaseRef => ({
  release: r.abi,
  ...(r.upstream ? { upstream: r.upstream } : {}),
  ...(r.version ? { version: r.version } : {}),
  verdict,
});

/** The whole bisect: selection, search, report. UsageError (exit 2) before any boot for a spec with nothing to bisect. */
export async function bisectReleases(o: ReleaseBisectOptions, io: ReleaseBisectIo): Promise<ReleaseBisectReport> {
  const now = io.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const { releases, notes } = await io.releases(o.spec);
  for (const n of notes) io.say(n);
  const names = releases.map((r) => r.abi);
  io.say(`bisecting ${names.length} releases (${names[0]}..${names.at(-1)}), ${o.boots} boot(s) per step, ~${Math.ceil(Math.log2(names.length - 1)) + 2} steps`);
  const out = await searchReleases(names, o.boots, {
    boot: (i, b) => io.boot(releases[i]!, b),
    stopped: () => !!io.stopped?.(),
    onStep: (s) => io.say(stepLine(s, o.boots)),
  });
  const conf = confidence(out.steps, o.boots);
  return {
    schema: RELEASE_BISECT_SCHEMA,
    spec: o.spec,
    startedAt,
    finishedAt: now().toISOString(),
    boots: o.boots,
    runArgs: o.runArgs,
    releases: names,
    notes,
    result: resultOf(out.result, releases, io.stopped?.()),
    confidence: conf,
    steps: out.steps,
  };
}

function resultOf(r: SearchResult, releases: DebianRelease[], signal: NodeJS.Signals | undefined): ReleaseBisectReport['result'] {
  const abi = (i: number) => releases[i]!.abi;
  switch (r.kind) {
    case 'change': {
      const before = releases[r.before]!;
      const after = releases[r.after]!;
      const fix = r.from === 'bad';
      return {
        kind: 'change',
        summary: fix
          ? `first good release: ${after.abi} (the last bad is ${before.abi}): the failure stops there`
          : `first bad release: ${after.abi} (the last good is ${before.abi}): the failure starts there`,
        before: ref(before, r.from),
        after: ref(after, r.to),
        ...(fix ? { firstGood: after.abi } : { firstBad: after.abi }),
        changelog: changelogRange(before, after),
        ...(r.skipped.length ? { skipped: r.skipped.map(abi) } : {}),
      };
    }
    case 'none':
      return {
        kind: 'none',
        summary: `no change of verdict in range: all ${r.verdict} (both ends ${r.verdict}; ${
          r.verdict === 'bad' ? 'none of these releases stops the failure' : 'none of them shows it'
        })`,
      };
    case 'undecided':
      return {
        kind: 'undecided',
        summary: `could not decide: ${r.why}`,
        ...(r.before !== undefined && r.after !== undefined
          ? { before: ref(releases[r.before]!, 'bad'), after: ref(releases[r.after]!, 'good') }
          : {}),
        ...(r.skipped.length ? { skipped: r.skipped.map(abi) } : {}),
      };
    case 'stopped':
      return { kind: 'stopped', summary: `stopped by ${signal ?? 'a signal'} before a verdict; the steps so far are below`, stoppedBy: signal ?? 'signal' };
  }
}

/** One step in one line: `6.12.100+deb12: bad after 1/2 boot(s) in 64 s: race-getdents[uprobe] FAIL: ...`. */
export function stepLine(s: Step, n: number): string {
  const bad = s.boots.find((b) => b.verdict === 'bad');
  const skip = s.boots.find((b) => b.verdict === 'skip');
  const per = s.boots.map((b) => b.verdict).join(',');
  const why = bad ? `: ${bad.failing ?? bad.why}` : s.verdict === 'skip' && skip ? `: ${skip.why}` : '';
  return `${s.release}: ${s.interrupted ? 'interrupted' : s.verdict} after ${s.boots.length}/${n} boot(s) [${per}] in ${s.seconds.toFixed(0)} s${why}`;
}

const pct = (x: number) => `${(100 * x).toFixed(x > 0 && x < 0.01 ? 2 : 0)}%`;

/** The confidence in words. */
export function confidenceText(c: Confidence, n: number): string {
  if (c.p === undefined)
    return `no bad end was booted, so no catch rate was measured: a bad release caught with per-boot rate p passes ${n} boot(s) with probability (1-p)^${n}`;
  const head = `catch rate at the bad end: ${c.caught}/${c.boots} boots (p = ${c.p.toFixed(2)}); a bad release passes ${n} clean boot(s) with probability (1-p)^${n} = ${pct(c.missPerStep!)}`;
  const tail = c.goodSteps
    ? `; over the ${c.goodSteps} good verdict(s), P(none was a missed bad) >= ${pct(c.noMiss!)}`
    : '';
  const small = c.boots < 5 ? ` (p from ${c.boots} boot(s) only: more --boots measure it better)` : '';
  return head + tail + small;
}

/** What `kernel bisect --releases` prints on stdout. */
export function renderReleaseBisect(r: ReleaseBisectReport): string {
  const lines = [r.result.summary];
  const c = r.result.changelog;
  if (c) {
    if (c.upstream.length) lines.push(`  upstream stable between them: ${c.upstream.join(', ')} (git log ${c.git} in linux-stable)`);
    else if (c.git) lines.push(`  upstream: git log ${c.git}`);
    if (c.note) lines.push(`  ${c.note}`);
    for (const u of c.changelogs) lines.push(`  ${u}`);
    if (c.debian?.before || c.debian?.after) lines.push(`  Debian package versions: ${c.debian.before ?? '?'} -> ${c.debian.after ?? '?'}`);
  }
  if (r.result.skipped?.length) lines.push(`  could not test: ${r.result.skipped.join(', ')}`);
  lines.push(confidenceText(r.confidence, r.boots));
  lines.push(`steps (${r.steps.length}, ${r.boots} boot(s) each at most; the ends boot all ${r.boots}):`);
  for (const s of r.steps) {
    lines.push(`  ${s.role === 'end' ? 'end ' : 'step'} ${stepLine(s, r.boots)}`);
    s.boots.forEach((b, i) => {
      lines.push(`       boot ${i + 1}: ${b.verdict} in ${b.seconds.toFixed(0)} s: ${b.failing ?? b.why}`);
      if (b.console) lines.push(`         console: ${b.console}`);
    });
  }
  lines.push(`${r.releases.length} releases: ${r.releases.join(' ')}`);
  return lines.join('\n') + '\n';
}
