// SPDX-License-Identifier: GPL-2.0-only
// explore's options: every bad value is a UsageError naming the fix, a guest's
// options are refused with --here, and the guest's argv carries the same run.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import {
  guestArgs,
  guestTimeout,
  planExplore,
  type ExploreCliOptions,
  type GuestWhere,
} from '../../../src/explore/options.js';

const base: ExploreCliOptions = { duration: '10m', verify: true };
const plan = (o: Partial<ExploreCliOptions>) => planExplore({ ...base, ...o }, () => 77, '/w');

describe('planExplore', () => {
  it('defaults: a guest of debian:6.12, the random seed, 10 minutes, out dir named by the seed', () => {
    expect(plan({})).toEqual({
      where: { kernel: 'debian:6.12', vmArgs: [] },
      seed: 77,
      durationMs: 600_000,
      keepGoing: false,
      out: '/w/explore-77',
      verify: true,
      blind: false,
      stream: false,
    });
  });

  it('takes the given seed, kernel, clean kernel and guest options', () => {
    const p = plan({
      seed: '4294967295',
      kernel: 'k.bz',
      cleanKernel: 'c.bz',
      cpus: '3',
      memory: '3G',
      append: 'x=1',
      tcg: 'single',
    });
    expect(p.seed).toBe(4294967295);
    expect(p.where).toEqual({
      kernel: 'k.bz',
      cleanKernel: 'c.bz',
      vmArgs: ['--cpus', '3', '--memory', '3G', '--append', 'x=1', '--tcg', 'single'],
    });
  });

  it('--coverage: a new directory, resolved, for the exploring guests only', () => {
    expect(plan({ coverage: 'cov' }).where).toEqual({ kernel: 'debian:6.12', vmArgs: [], coverage: '/w/cov' });
  });

  it.each([
    [{ seed: '-1' }, /--seed '-1' is not a whole number/],
    [{ seed: '4294967296' }, /--seed 4294967296 is out of range: use 0 to 4294967295/],
    [{ duration: '0s' }, /--duration '0s' must be more than zero/],
    [{ duration: '25h' }, /too long: use 24h or less/],
    [{ programs: '0' }, /--programs 0 is out of range/],
    [{ timeout: 'soon' }, /--timeout 'soon' is not a length of time/],
    [{ here: true, kernel: 'debian:6.12' }, /--kernel: a guest's option, not for --here/],
    [{ here: true, cpus: '2', timeout: '1h' }, /--cpus, --timeout: a guest's options/],
    [{ stream: true }, /--stream is the guest side of --here/],
    [{ here: true, coverage: 'cov' }, /--coverage: a guest's option, not for --here/],
    [{ coverage: '/etc' }, /--coverage \/etc: not empty; give a new or empty directory/],
  ] as [Partial<ExploreCliOptions>, RegExp][])('%o is refused', (o, why) => {
    expect(() => plan(o)).toThrow(UsageError);
    expect(() => plan(o)).toThrow(why);
  });
});

describe('guestArgs', () => {
  it('the same seed, budget and switches, explored in place and streamed', () => {
    const p = plan({ seed: '9', duration: '90s', programs: '50', keepGoing: true, blind: true });
    expect(guestArgs(p)).toEqual([
      'explore',
      '--here',
      '--stream',
      '--seed',
      '9',
      '--duration',
      '90000ms',
      '--programs',
      '50',
      '--keep-going',
      '--blind',
    ]);
    // Round trip: the guest's own plan of those arguments is the same run.
    const g = planExplore(
      {
        ...base,
        here: true,
        stream: true,
        seed: '9',
        duration: '90000ms',
        programs: '50',
        keepGoing: true,
        blind: true,
      },
      () => 0,
      '/w',
    );
    expect({ ...g, where: undefined, out: undefined, verify: undefined, stream: undefined }).toEqual({
      ...p,
      where: undefined,
      out: undefined,
      verify: undefined,
      stream: undefined,
    });
  });

  it('the guest timeout leaves ten minutes beyond the budget, unless given', () => {
    const g = (p: ReturnType<typeof plan>) => guestTimeout(p, p.where as GuestWhere);
    expect(g(plan({ duration: '10m' }))).toBe('1200s');
    expect(g(plan({ timeout: '2h' }))).toBe('2h');
  });
});
