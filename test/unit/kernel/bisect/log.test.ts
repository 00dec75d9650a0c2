// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { parseBisectLog, parseBisectRun } from '../../../../src/kernel/bisect/log.js';

const A = 'f0e7d614d407fb263bfd6cee8ed6bdebc73adad7';
const B = 'b38c28bf3ddde5c27ba95d21e16712b734bc2a0a';

// git 2.39's own output, copied from runs on a throwaway repo.
const FOUND = `Bisecting: 0 revisions left to test after this (roughly 0 steps)
[${A}] c2
running  '/tmp/s.sh'
${A} is the first bad commit
commit ${A}
Author: t <t@t>
Date:   Wed Dec 2 13:14:38 2026 +0000

    c2

 n | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)
bisect found first bad commit`;

const SKIPPED = `running  '/tmp/s.sh'
There are only 'skip'ped commits left to test.
The first bad commit could be any of:
${A}
${B}
We cannot bisect more!
error: bisect run cannot continue any more`;

const ABORTED = `running  '/tmp/s.sh'
error: bisect run failed: exit code 128 from ' '/tmp/s.sh'' is < 0 or >= 128`;

const LOG = `git bisect start '${B}' '1111111111111111111111111111111111111111' '--'
# status: waiting for both good and bad commits
# bad: [${B}] c3
git bisect bad ${B}
# good: [1111111111111111111111111111111111111111] c1
git bisect good 1111111111111111111111111111111111111111
# bad: [${A}] c2
git bisect bad ${A}
# first bad commit: [${A}] c2
`;

describe('git bisect run output', () => {
  it('finds the first bad commit', () => expect(parseBisectRun(FOUND)).toEqual({ kind: 'found', commit: A }));

  it('lists the candidates when skipped commits hide it', () =>
    expect(parseBisectRun(SKIPPED)).toEqual({ kind: 'skipped', candidates: [A, B] }));

  it('reports an aborted run with git message', () => {
    const r = parseBisectRun(ABORTED);
    expect(r.kind).toBe('aborted');
    if (r.kind === 'aborted') expect(r.message).toMatch(/exit code 128/);
  });

  it('does not take a hash in a step line or a commit message for the answer', () => {
    // Planted: the hash appears, but not in git's "is the first bad commit" line.
    expect(parseBisectRun(`bisect-step: ${A.slice(0, 12)} bad (exit 1): x\n[${A}] c2\n    ${A} is the first bad commit, says a subject`)).toEqual({
      kind: 'unknown',
    });
    expect(parseBisectRun('')).toEqual({ kind: 'unknown' });
  });
});

describe('git bisect log', () => {
  it('reads verdicts in order, with subjects', () => {
    expect(parseBisectLog(LOG)).toEqual([
      { verdict: 'bad', commit: B, subject: 'c3' },
      { verdict: 'good', commit: '1111111111111111111111111111111111111111', subject: 'c1' },
      { verdict: 'bad', commit: A, subject: 'c2' },
    ]);
  });

  it('ignores the start line and comments', () => expect(parseBisectLog('# status: x\ngit bisect start a b\n')).toEqual([]));
});
