// SPDX-License-Identifier: GPL-2.0-only
// LKFT (Linaro's test-definitions, automated/linux/kselftest/parse-output.py)
// names a kselftest result by what follows `ok N ` / `not ok N `: for `not ok`
// it drops everything from the first `# `; for `ok` it drops only the literal
// `# SKIP`; then every run of characters other than [A-Za-z0-9_-] becomes `_`.
// So a reason written after `# SKIP` becomes part of the test's name, and its
// history splits whenever the test skips. The rule is restated here (not
// copied) and applied to what our KTAP reporter writes for one variant in
// every status: the name must not change.
import { describe, expect, it } from 'vitest';
import { renderKtap } from '../../../src/report/ktap.js';
import type { ResultStatus, ScenarioResult } from '../../../src/report/types.js';
import { report, result } from './fixtures.js';

const slug = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_|_$/g, '');

/** LKFT's test name for one KTAP result line, or undefined when the line is no result. */
function lkftName(line: string): string | undefined {
  const notOk = /^\s*not ok \d+ (.*)$/.exec(line);
  if (notOk) return slug(notOk[1]!.replace(/# .*$/, ''));
  const ok = /^\s*ok \d+ (.*)$/.exec(line);
  if (!ok) return undefined;
  return slug(ok[1]!.includes('# SKIP') ? ok[1]!.replace('# SKIP', '') : ok[1]!);
}

const NAME = 'removed-files-enoent[kprobe]';
const variant = (status: ResultStatus, over: Partial<ScenarioResult> = {}) =>
  result({ name: NAME, kind: 'kprobe', status, reason: `why it is ${status}`, ...over });

const resultLine = (r: ScenarioResult) =>
  renderKtap(report([r]))
    .split('\n')
    .find((l) => /^(not )?ok 1 /.test(l))!;

describe("LKFT's test name for our KTAP", () => {
  it('is the same for a pass, a fail, a skip, an ERROR, a TIMEOUT, an XPASS and a variant that never ran', () => {
    const lines = [
      variant('PASS', { reason: undefined }),
      variant('FAIL', { evidence: [{ op: 'stat', path: 'enable', expected: 'ENOENT', got: 'success' }] }),
      variant('UNSUPPORTED', { reason: 'kprobe_events not available in this kernel' }),
      variant('UNRESOLVED'),
      variant('TIMEOUT', { timeout: { limitMs: 60_000, signals: 1, overrunMs: 10 } }),
      variant('XPASS'),
      variant('UNRESOLVED', { reason: 'not run: interrupted by SIGINT', notRun: 'interrupted' }),
    ].map(resultLine);
    expect(lines.map(lkftName)).toEqual(lines.map(() => slug(NAME)));
  });

  it("an XFAIL keeps kselftest's `# XFAIL` directive, which LKFT takes into the name (docs/reports.md: by choice)", () => {
    expect(lkftName(resultLine(variant('XFAIL')))).toBe(`${slug(NAME)}_XFAIL`);
  });

  it('catches the old skip line, whose reason after `# SKIP` LKFT took into the name', () => {
    expect(lkftName(`ok 1 ${NAME} # SKIP kprobe_events not available in this kernel`)).not.toBe(slug(NAME));
    expect(lkftName(`ok 1 ${NAME} # SKIP`)).toBe(slug(NAME));
  });
});
