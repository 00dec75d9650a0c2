// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { globMatch, globScan, isGlob } from '../../../src/util/glob.js';

describe('globMatch', () => {
  it('matches * and ? and nothing else as wildcards', () => {
    expect(globMatch('race-*', 'race-getdents')).toBe(true);
    expect(globMatch('race-*', 'removed-files-enoent')).toBe(false);
    expect(globMatch('6.1.*', '6.1.0-56-amd64')).toBe(true);
    expect(globMatch('6.1.*', '6.12.38+deb12-amd64')).toBe(false);
    expect(globMatch('6.18.44-fc-*', '6.18.44-fc-v782')).toBe(true);
    expect(globMatch('race-?eopen', 'race-reopen')).toBe(true);
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(globMatch('[ab]', 'a')).toBe(false);
    expect(globMatch('[ab]', '[ab]')).toBe(true);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('', 'a')).toBe(false);
    expect(globMatch('a*', 'a')).toBe(true);
    expect(globMatch('*a', 'ba')).toBe(true);
    expect(globMatch('*a', 'ab')).toBe(false);
    expect(globMatch('a*b*c', 'aXbYbZc')).toBe(true);
    expect(globMatch('a*b*c', 'aXbYbZ')).toBe(false);
  });

  it('anchors at both ends', () => {
    expect(globMatch('race', 'race-reopen')).toBe(false);
    expect(globMatch('reopen', 'race-reopen')).toBe(false);
  });

  it('finishes on a pattern that makes a backtracking regex crawl, in steps linear in the text (counted, not timed)', () => {
    const r = globScan(`${'*a'.repeat(30)}*b`, 'a'.repeat(5000));
    expect(r.matched).toBe(false);
    expect(r.steps).toBeLessThanOrEqual(3 * 5000 + 2 * 61);
  });

  it('tells globs from plain ids', () => {
    expect(isGlob('race-*')).toBe(true);
    expect(isGlob('race-reopen')).toBe(false);
  });
});
