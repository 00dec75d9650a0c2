// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import type { ExploreStats } from '../../../src/explore/loop.js';
import { formatElapsed, formatProgress, progressReporter } from '../../../src/explore/progress.js';

const stats = (o: Partial<ExploreStats> = {}): ExploreStats => ({
  guided: true,
  programs: 1234,
  generated: 200,
  mutated: 1034,
  elapsedMs: 65_400,
  programsPerSec: 18.87,
  violating: 0,
  violations: 0,
  corpus: 87,
  edges: 5321,
  newEdges: 12,
  traceErrors: 0,
  fullBuffers: 0,
  ...o,
});

describe('explore progress', () => {
  it('formats elapsed time as s, m+s, h+m', () => {
    expect(formatElapsed(999)).toBe('0s');
    expect(formatElapsed(12_000)).toBe('12s');
    expect(formatElapsed(65_400)).toBe('1m05s');
    expect(formatElapsed(3_720_000)).toBe('1h02m');
  });

  it('one line: programs and rate, violations, corpus, edges and new edges', () => {
    expect(formatProgress(stats())).toBe(
      'explore 1m05s: 1234 programs (19/s), 0 violations in 0 programs, corpus 87, edges 5321 (+12)',
    );
    expect(formatProgress(stats({ programsPerSec: 2.345, violations: 1, violating: 1 }))).toContain(
      '(2.3/s), 1 violation in 1 program,',
    );
  });

  it('says blind without KCOV, and trace errors with the last one', () => {
    expect(formatProgress(stats({ guided: false }))).toMatch(/programs, blind \(no KCOV\)$/);
    expect(formatProgress(stats({ traceErrors: 2, lastTraceError: 'ioctl: EBUSY' }))).toMatch(
      /edges 5321 \(\+12\), 2 trace errors \(ioctl: EBUSY\)$/,
    );
  });

  it('says how many traces filled the KCOV buffer', () => {
    expect(formatProgress(stats({ fullBuffers: 3 }))).toMatch(/edges 5321 \(\+12\), 3 full KCOV buffers$/);
  });

  it('updates the live line, prints the final one', () => {
    const calls: string[] = [];
    const report = progressReporter({ update: (l) => calls.push(`u ${l}`), print: (l) => calls.push(`p ${l}`) });
    report(stats({ programs: 1 }), false);
    report(stats({ programs: 2 }), true);
    expect(calls.map((c) => c.slice(0, 20))).toEqual(['u explore 1m05s: 1 p', 'p explore 1m05s: 2 p']);
  });
});
