// SPDX-License-Identifier: GPL-2.0-only
import { describe, it, expect } from 'vitest';
import { FORMATS, render, renderMany, reporterFor, isFormat } from '../../../src/report/index.js';
import { pass, fail, skip, raceSingle, raceMulti, NO_OVERLAP, report } from './fixtures.js';

describe('reporter selection', () => {
  it('offers the seven formats', () => {
    expect(FORMATS).toEqual(['pretty', 'ktap', 'json', 'junit', 'lkml', 'markdown', 'html']);
    expect(isFormat('tap')).toBe(false);
    expect(() => reporterFor('tap')).toThrow(
      /unknown format 'tap': use one of pretty, ktap, json, junit, lkml, markdown, html/,
    );
  });

  it('renders every format for one run and for several', () => {
    const r = report([pass, fail, skip]);
    expect(render('pretty', r).trimEnd().split('\n').at(-1)).toBe('1 passed, 1 failed, 1 skipped');
    expect(render('ktap', r).startsWith('KTAP version 1\n1..3\n')).toBe(true);
    expect(JSON.parse(render('json', r)).summary.exitCode).toBe(1);
    expect(render('junit', r)).toMatch(/^<\?xml/);
    for (const f of FORMATS) expect(renderMany(f, [r, r]).length).toBeGreaterThan(0);
  });

  it('every format carries the no-overlap note on every race that could not overlap, and on no other', () => {
    const r = report([raceSingle, { ...raceSingle, name: 'race-recreate[uprobe]' }, raceMulti, pass], {
      env: { ...report([]).env, accelerator: 'tcg thread=single' },
    });
    const count = (t: string) => t.match(new RegExp(NO_OVERLAP.source, 'g'))?.length ?? 0;
    // JUnit: a property and system-out; lkml writes mails for FAILs only, and none of these failed;
    // markdown and html are the verdict tables, whose details are evidence and console lines.
    for (const f of FORMATS.filter((x) => x !== 'markdown' && x !== 'html'))
      expect(count(render(f, r)), f).toBe(f === 'junit' ? 4 : f === 'lkml' ? 0 : 2);
  });
});
