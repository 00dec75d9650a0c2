// SPDX-License-Identifier: GPL-2.0-only
import { describe, it, expect } from 'vitest';
import { statsHighlights, compactNumber, oneLine, healthProblems, runNotes } from '../../../src/report/text.js';
import { pass, raceStats, report } from './fixtures.js';

describe('report wording', () => {
  it('picks the race figures worth a line, ops/s first', () => {
    expect(statsHighlights(raceStats())).toEqual([
      ['opsPerSec', 210_000],
      ['cyclesPerSec', 90_000],
      ['cycles', 90_000],
      ['violations', 0],
      ['threads', 4],
      ['elapsedMs', 1000],
    ]);
    expect(statsHighlights(undefined)).toEqual([]);
  });

  it('formats numbers for humans', () => {
    expect(compactNumber(987)).toBe('987');
    expect(compactNumber(9999)).toBe('9999');
    expect(compactNumber(12345)).toBe('12.3k');
    expect(compactNumber(4_560_000)).toBe('4.56M');
    expect(compactNumber(2.25)).toBe('2.3');
  });

  it('keeps one item on one line', () => {
    expect(oneLine('a\nb\tc\x01')).toBe('a\\nb\\tc\\x01');
  });

  it('names what made health fail', () => {
    expect(
      healthProblems({
        ok: false,
        warnCount: { before: 1, after: 2 },
        kernelLines: ['x', '... 3 more kernel lines not kept'],
      }),
    ).toEqual(['warn_count 1 -> 2', '1 kernel log line']);
    expect(healthProblems({ ok: false, kernelLines: [] })).toEqual(['kernel health check failed']);
    expect(healthProblems({ ok: true, kernelLines: [] })).toEqual([]);
  });

  it('lifts notes every scenario repeats to the run', () => {
    const h = (notes: string[]) => ({ ...pass, health: { ok: true, kernelLines: [], notes } });
    const r = report([h(['a', 'b']), h(['a'])], { env: { ...report([]).env, notes: ['env'] } });
    expect(runNotes(r)).toEqual(['env', 'a']);
  });
});
