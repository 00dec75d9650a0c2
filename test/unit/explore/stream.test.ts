// SPDX-License-Identifier: GPL-2.0-only
// The guest's JSON lines as the host reads them: garbage is never a record,
// and the end of a guest (finding, clean, died inside a program, error) is
// read from its records and vm's exit, with planted streams for each.
import { describe, expect, it } from 'vitest';
import {
  guestEnd,
  parseRecord,
  parseStream,
  renderRecord,
  type ExploreRecord,
  type ExploreStats,
} from '../../../src/explore/stream.js';
import type { Program } from '../../../src/explore/types.js';
import { emptyStats } from '../../../src/explore/loop.js';

const stats: ExploreStats = { ...emptyStats(false), programs: 3, generated: 3, elapsedMs: 1000, programsPerSec: 3 };
const prog = (n: number): Program => ({ actions: [{ kind: 'call', call: 'stat', args: [{ t: `{root}/p${n}` }] }] });
const rec = (r: ExploreRecord) => renderRecord(r);

describe('parseRecord', () => {
  it('round-trips what renderRecord writes, CR and all', () => {
    const r: ExploreRecord = { t: 'program', n: 1, ms: 10, program: prog(1) };
    expect(parseRecord(renderRecord(r).trimEnd() + '\r')).toEqual(r);
  });
  it.each(['', 'plain text', '{"t":"nope"}', '{"t":', '{"x":1}', '["t"]', '{"t":"end"'])('%j is not a record', (l) => {
    expect(parseRecord(l)).toBeUndefined();
  });
});

describe('parseStream', () => {
  it('keeps records and other lines apart', () => {
    const p = parseStream(`hello\n${rec({ t: 'error', message: 'x' })}{"t":"program",garbled\n`);
    expect(p.records).toEqual([{ t: 'error', message: 'x' }]);
    expect(p.other).toEqual(['hello', '{"t":"program",garbled']);
  });
});

describe('guestEnd', () => {
  const started: ExploreRecord = {
    t: 'start',
    seed: 1,
    kernel: { release: 'r', version: 'v' },
    kcov: false,
    kinds: ['uprobe'],
  };
  it('a finding wins, whatever the exit', () => {
    const finding = { kind: 'model' as const, n: 2, ms: 5, what: 'x', violations: [], program: prog(2) };
    expect(guestEnd([started, { t: 'finding', finding }], 1)).toEqual({ kind: 'finding', findings: [finding] });
  });
  it('a finding sent as found and again once shrunk counts once, the shrunk one', () => {
    const raw = { kind: 'model' as const, n: 4, ms: 5, what: 'x', violations: [], program: prog(4) };
    const shrunk = { ...raw, shrunk: prog(1) };
    const other = { ...raw, n: 9 };
    expect(
      guestEnd(
        [
          { t: 'finding', finding: raw },
          { t: 'finding', finding: other },
          { t: 'finding', finding: shrunk },
        ],
        1,
      ),
    ).toEqual({
      kind: 'finding',
      findings: [shrunk, other],
    });
  });
  it('an end record and vm exit 0: clean', () => {
    expect(guestEnd([started, { t: 'end', stats, stopped: 'duration' }], 0)).toEqual({ kind: 'clean', stats });
  });
  it('no end and vm exit 1: died in the last program sent', () => {
    const rs: ExploreRecord[] = [
      started,
      { t: 'program', n: 1, ms: 10, program: prog(1) },
      { t: 'progress', stats },
      { t: 'program', n: 2, ms: 20, program: prog(2) },
    ];
    expect(guestEnd(rs, 1)).toEqual({ kind: 'died', last: { n: 2, ms: 20, program: prog(2) }, stats });
  });
  it('an end record but vm exit 1 (the console showed a kernel failure): still died', () => {
    const rs: ExploreRecord[] = [
      { t: 'program', n: 5, ms: 50, program: prog(5) },
      { t: 'end', stats, stopped: 'duration' },
    ];
    expect(guestEnd(rs, 1)).toMatchObject({ kind: 'died', last: { n: 5 } });
  });
  it('timed out or killed (no exit) before any program: died, nothing to blame', () => {
    expect(guestEnd([started], undefined)).toEqual({ kind: 'died' });
  });
  it('a guest that could not start, or ended 0 without its end record: an error, not a finding', () => {
    expect(guestEnd([], 2)).toMatchObject({ kind: 'error' });
    expect(guestEnd([started], 0)).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('without its result'),
    });
    expect(guestEnd([{ t: 'error', message: 'no tracefs' }], 2)).toEqual({ kind: 'error', message: 'no tracefs' });
  });
});
