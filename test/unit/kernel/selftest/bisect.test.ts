// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { bisectMutant, bisectProblems, namedCommit } from '../../../../src/kernel/selftest/bisect.js';
import type { Mutant } from '../../../../src/kernel/patches.js';

const h = (c: string) => c.repeat(40);
const commits = { clean: h('1'), harmless: h('2'), mutant: h('3'), docs: h('4') };
const run = { mutant: 'm', repo: '/r', commits, wallMs: 1 };

describe('self-test bisect verdict', () => {
  it('reads the commit from the first line kernel bisect prints', () => {
    expect(namedCommit(`first bad commit: ${h('3')} eventfs: planted\ngit bisect log (repo):\n`)).toBe(h('3'));
    // Planted: a hash elsewhere in the output is not the answer.
    expect(namedCommit(`could not decide: only skipped commits are left; the first bad commit is one of:\n  ${h('3')}\n`)).toBeUndefined();
  });

  it('passes only exit 0, the mutant commit named and the repo back at its tip', () => {
    expect(bisectProblems({ ...run, exitCode: 0, named: h('3') }, h('4'))).toEqual([]);
    expect(bisectProblems({ ...run, exitCode: 0, named: h('2') }, h('4'))).toEqual([
      `bisect: named ${h('2')}, expected the mutant's commit ${h('3')} (m)`,
    ]);
    expect(bisectProblems({ ...run, exitCode: 1 }, h('4'))).toHaveLength(2);
    expect(bisectProblems({ ...run, exitCode: 0, named: h('3') }, h('3'))).toEqual([`bisect: the repo was left at ${h('3')}, not at its tip ${h('4')}`]);
  });

  it('plants a single-threaded mutant that the bisected scenario catches', () => {
    const m = (name: string, expect: string[], race?: boolean): Mutant => ({ name, file: `${name}.patch`, undoes: [], expect, description: '', ...(race ? { race } : {}) });
    expect(bisectMutant([m('race', ['removed-files-enoent'], true), m('other', ['x']), m('hit', ['removed-files-enoent'])])?.name).toBe('hit');
    expect(bisectMutant([m('other', ['x'])])).toBeUndefined();
  });
});
