// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { describeCheck, resolveCheck } from '../../../src/repro/check.js';
import type { Judged } from '../../../src/repro/types.js';

const j = (over: Partial<Judged>): Judged => ({
  step: 3,
  check: { kind: 'that' },
  op: 'getdents64',
  path: '{root}/events/{id}_g1',
  expected: 'no e2',
  got: 'lists e2',
  ...over,
});

describe('resolveCheck', () => {
  it('passes errno, success and error checks through', () => {
    expect(resolveCheck(j({ check: { kind: 'errno', codes: ['ENOENT'] } }))).toEqual({
      kind: 'errno',
      codes: ['ENOENT'],
    });
    expect(resolveCheck(j({ check: { kind: 'success' } }))).toEqual({ kind: 'success' });
  });

  it("turns the scenarios' own wordings into re-observations of the path", () => {
    expect(resolveCheck(j({}))).toEqual({ kind: 'unlisted', path: '{root}/events/{id}_g1', name: 'e2' });
    expect(resolveCheck(j({ expected: 'lists enable filter format id trigger' }))).toMatchObject({
      kind: 'listed',
      names: ['enable', 'filter', 'format', 'id', 'trigger'],
    });
    expect(resolveCheck(j({ op: 'read (new event after stale write)', expected: '0' }))).toMatchObject({
      kind: 'content',
      value: '0',
    });
    expect(resolveCheck(j({ op: 'gid (after remount)', expected: 'gid 4242' }))).toMatchObject({
      kind: 'gid',
      gid: 4242,
    });
  });

  it('gives up on what it cannot re-observe: a path outside tracefs, an fd label, a free wording', () => {
    expect(resolveCheck(j({ path: '<event dir fd> (after removal)' }))).toBeUndefined();
    expect(resolveCheck(j({ expected: 'no e2 or e3' }))).toBeUndefined();
    expect(
      resolveCheck(j({ op: 'stat (re-created event vs a fresh sibling)', expected: 'mode 0644 uid 0 gid 0' })),
    ).toBeUndefined();
    expect(describeCheck(undefined)).toMatch(/health counters/);
  });
});
