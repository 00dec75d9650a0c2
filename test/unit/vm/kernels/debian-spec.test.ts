// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/errors.js';
import { namesOneKernel, parseDebianSpec } from '../../../../src/vm/kernels/debian-spec.js';

describe('debian: kernel specs, parsed before anything is fetched', () => {
  it('reads every accepted spelling', () => {
    expect(parseDebianSpec('debian:latest')).toEqual({ kind: 'latest' });
    expect(parseDebianSpec('debian:6.12')).toEqual({ kind: 'series', series: '6.12' });
    expect(parseDebianSpec('debian:6.19.*')).toEqual({ kind: 'every', series: '6.19' });
    for (const text of [
      '6.18.12',
      '6.12.90+deb12',
      '6.12.90+deb12.1',
      '6.1.0-57',
      '6.1.0-57-amd64',
      '6.12.118+deb13-amd64',
      '6.18.12-1~bpo13+1',
      '6.12.118-1~deb12u1',
      '6.1.192-3',
      'linux-image-6.18.12+deb13-amd64',
    ])
      expect(parseDebianSpec(`debian:${text}`)).toEqual({ kind: 'release', text });
    expect(parseDebianSpec('debian:6.16..7.3')).toEqual({
      kind: 'range',
      from: { kind: 'series', series: '6.16' },
      to: { kind: 'series', series: '7.3' },
    });
    expect(parseDebianSpec('debian:6.18.5..7.2')).toEqual({
      kind: 'range',
      from: { kind: 'release', text: '6.18.5' },
      to: { kind: 'series', series: '7.2' },
    });
    // A release to the end of its own series is not backwards.
    expect(parseDebianSpec('debian:6.18.12..6.18')?.kind).toBe('range');
    expect(parseDebianSpec('arch/x86/boot/bzImage')).toBeUndefined();
  });

  it.each([
    ['debian:6', /a series is major\.minor \(debian:7\.2\); for every 7\.x release give a range/],
    ['debian:7.*', /a series is major\.minor/],
    ['debian:6.16..', /a range needs both ends/],
    ['debian:..7.3', /a range needs both ends/],
    ['debian:6.16..7.0..7.3', /a range has one `\.\.`/],
    ['debian:6.18.*..7.0', /'6\.18\.\*' is neither a series .* nor a release/],
    ['debian:6.*.1', /only a whole series takes a wildcard/],
    ['debian:6.12; rm -rf /', /not a series, release, wildcard or range/],
    ['debian:', /not a series, release/],
    ['debian:7.3..6.16', /runs backwards: write debian:6\.16\.\.7\.3/],
    ['debian:7.0.4..6.19', /runs backwards: write debian:6\.19\.\.7\.0\.4/],
  ])('rejects %s naming the fix (exit 2)', (spec, why) => {
    let err: unknown;
    try {
      parseDebianSpec(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(why);
  });

  it('knows which specs name a single kernel (--exec)', () => {
    expect(['debian:6.18', 'debian:latest', 'debian:6.18.12', '/x/bzImage'].map(namesOneKernel)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['debian:6.18.*', 'debian:6.16..7.3'].map(namesOneKernel)).toEqual([false, false]);
  });
});
