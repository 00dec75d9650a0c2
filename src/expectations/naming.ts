// SPDX-License-Identifier: GPL-2.0-only
// Failures named by the known bug they match: a FAIL (or XFAIL) whose lines
// show a catalogued bug's fault (kernel/known-bugs.json, its console
// signature) is named by that bug, with whether its kernel predates the fix or
// should carry it (a regression, or a backport that never came); one that
// matches none is NEW. Pure: the same result, catalogue and kernel give the
// same note, so the host can name a guest's already-named report again. An
// annotation only: the status (XFAIL included) is left as it is.
import type { KnownBugNote, RunReport, ScenarioResult } from '../report/types.js';
import { faultsIn } from './console-faults.js';
import { resultLines } from './apply.js';
import { compareVersions, parseVersion, seriesOf, type AffectedRanges, type KernelVersion } from './release.js';
import { globMatch } from '../util/glob.js';
import type { KnownBug } from './types.js';

export type FixVerdict = KnownBugNote['verdict'];

/**
 * The kernel's version: from its release (uname -r), or, where a distribution
 * keeps an ABI number there (Debian's 6.1.0-57-amd64), from the build string
 * (uname -v: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)") when that
 * names a release of the same series.
 */
export function kernelVersionOf(release: string, build = ''): KernelVersion | undefined {
  const v = parseVersion(release);
  const m = /\b(?:Debian|Ubuntu) (\d{1,4}\.\d{1,4}\.\d{1,6})\b/.exec(build);
  const b = m ? parseVersion(m[1]!) : undefined;
  if (v && b && seriesOf(v) === seriesOf(b) && compareVersions(b, v) > 0) return b;
  return v;
}

const versionText = (v: KernelVersion) => `${v.major}.${v.minor}.${v.patch}${v.rc !== undefined ? `-rc${v.rc}` : ''}`;

/** How a release stands to a bug's fix, and why in words. */
export function fixVerdict(
  r: AffectedRanges,
  release: string,
  build = '',
): { verdict: FixVerdict; because: string; version?: string } {
  const v = kernelVersionOf(release, build);
  if (!v) return { verdict: 'unknown-series', because: `${release} does not start with a kernel version` };
  const version = versionText(v);
  const at = (s: string) => compareVersions(v, parseVersion(s)!);
  const series = seriesOf(v);
  const out = (verdict: FixVerdict, because: string) => ({ verdict, because, version });
  if (at(r.fixed) >= 0) return out('should-contain-fix', `mainline has the fix from ${r.fixed} on`);
  const distro = r.distros.find((d) => d.series === series && globMatch(d.release, release));
  if (distro)
    return at(distro.fixed) >= 0
      ? out('should-contain-fix', `${distro.distro} carries the fix from ${distro.fixed} on`)
      : out('predates-fix', `${distro.distro} carries the fix from ${distro.fixed} on`);
  const stable = r.stable.find((s) => s.series === series);
  if (stable) {
    if (stable.fixed && at(stable.fixed) >= 0)
      return out('should-contain-fix', `the ${series}.y fix is in ${stable.fixed}`);
    if (stable.introduced && at(stable.introduced) < 0)
      return out('unknown-series', `older than ${stable.introduced}, the first ${series}.y release with the bug`);
    return out(
      'predates-fix',
      stable.fixed
        ? `the ${series}.y fix is in ${stable.fixed}`
        : `no ${series}.y release has the fix${stable.note ? `: ${stable.note}` : ''}`,
    );
  }
  if (at(r.introduced) < 0) return out('unknown-series', `older than ${r.introduced}, where the bug came in`);
  return out('unknown-series', `the catalogue does not say whether any ${series}.y release has the fix`);
}

/** The kernel as a sentence names it: "6.1.0-57-amd64 (6.1.158)" when the build string said which release it is. */
function releaseText(release: string, version: string | undefined): string {
  return version && !release.startsWith(version) ? `${release} (${version})` : release;
}

/** "matches CVE-... (title), fixed upstream by <commit> ("subject"); <release> predates the fix (why)". */
export function verdictText(bug: KnownBug, verdict: FixVerdict, because: string, release: string): string {
  const head = `matches ${bug.id} (${bug.title}), fixed upstream by ${bug.fix.commit} ("${bug.fix.subject}")`;
  switch (verdict) {
    case 'predates-fix':
      return `${head}; ${release} predates the fix (${because})`;
    case 'should-contain-fix':
      return `${head}; ${release} should contain the fix: a regression or a missing backport (${because})`;
    case 'unknown-series':
      return `${head}; unknown series: whether ${release} should contain the fix is not known (${because})`;
  }
}

/** The first fault in the lines that a catalogued bug's console signature names, and that bug. */
export function matchKnownBug(
  lines: readonly string[],
  bugs: readonly KnownBug[],
  release: string,
  build = '',
): KnownBugNote | undefined {
  for (const f of faultsIn(lines)) {
    const bug = bugs.find(
      (b) => f.function !== undefined && b.console.functions.includes(f.function) && b.console.kinds.includes(f.kind),
    );
    if (!bug) continue;
    const { verdict, because, version } = fixVerdict(bug.affected, release, build);
    return {
      id: bug.id,
      title: bug.title,
      fix: { commit: bug.fix.commit, subject: bug.fix.subject, mainline: bug.affected.fixed },
      verdict,
      text: verdictText(bug, verdict, because, releaseText(release, version)),
      matched: f.line,
      ...(bug.note !== undefined ? { note: bug.note } : {}),
    };
  }
  return undefined;
}

/** Results a known bug can name: the kernel failed them (an expected failure too). */
const nameable = (r: ScenarioResult) => r.status === 'FAIL' || r.status === 'XFAIL';

/** One result named: its knownBug, or new: true for a failure that matches no known bug; others carry neither. */
export function nameResult(r: ScenarioResult, bugs: readonly KnownBug[], release: string, build = ''): ScenarioResult {
  const { knownBug: _bug, new: _new, ...rest } = r;
  if (!nameable(r)) return rest;
  const known = matchKnownBug(resultLines(r), bugs, release, build);
  return known ? { ...rest, knownBug: known } : { ...rest, new: true };
}

/** Every result of a report named, for the report's own kernel. A new report. */
export function nameReport(report: RunReport, bugs: readonly KnownBug[]): RunReport {
  const { release, version } = report.env.kernel;
  return { ...report, results: report.results.map((r) => nameResult(r, bugs, release, version)) };
}

export { knownBugLabel, knownBugLine } from '../report/known-bug.js';
