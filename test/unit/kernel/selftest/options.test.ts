// SPDX-License-Identifier: GPL-2.0-only
// `kernel selftest`'s options: the script's flags, checked before anything builds.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { kernelCommand } from '../../../../src/cli/commands/kernel.js';
import { DEFAULT_RACE_RUNS, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT_S, defaultOutDir, parseSelftestOptions, type SelftestFlags } from '../../../../src/kernel/selftest/options.js';
import { kernelsFor } from '../../../../src/kernel/selftest/builds.js';
import { UsageError } from '../../../../src/errors.js';

const NAMES = ['revalidate-always-valid', 'list-del-under-srcu'];
const flags = (over: Partial<SelftestFlags> = {}): SelftestFlags => ({ only: [], timeout: '1200', raceRuns: '3', ...over });

/** What commander hands the action for these arguments. */
function parsed(args: string[]): SelftestFlags {
  const selftest = kernelCommand().commands.find((c) => c.name() === 'selftest')!;
  let got: SelftestFlags | undefined;
  selftest.exitOverride().action((o: SelftestFlags) => {
    got = o;
  });
  (selftest as Command).parse(args, { from: 'user' });
  return got!;
}

describe('kernel selftest options', () => {
  it('defaults as the script did: suite and ftracetest, 3 race boots, 1200 s guests, a dated results dir', () => {
    const o = parseSelftestOptions(parsed([]), NAMES, new Date('2026-12-02T06:00:00.123Z'));
    expect(o).toMatchObject({ kasan: false, only: [], suite: true, ftracetest: true, timeout: DEFAULT_TIMEOUT, timeoutS: DEFAULT_TIMEOUT_S, raceRuns: DEFAULT_RACE_RUNS });
    expect(o.outDir).toBe(defaultOutDir(new Date('2026-12-02T06:00:00.123Z')));
    expect(path.basename(o.outDir)).toBe('2026-12-02T06-00-00-123Z');
  });

  it('takes every flag the script took, as CI passes them', () => {
    expect(parseSelftestOptions(parsed(['--no-ftracetest']), NAMES)).toMatchObject({ suite: true, ftracetest: false });
    expect(parseSelftestOptions(parsed(['--ftracetest-only']), NAMES)).toMatchObject({ suite: false, ftracetest: true });
    expect(parseSelftestOptions(parsed(['--ftracetest']), NAMES)).toMatchObject({ ftracetest: true });
    const o = parseSelftestOptions(
      parsed(['--kasan', '--only', 'list-del-under-srcu', '--only', 'revalidate-always-valid', '--timeout', '600', '--race-runs', '5', '--out', '/tmp/x']),
      NAMES,
    );
    expect(o).toMatchObject({ kasan: true, only: ['list-del-under-srcu', 'revalidate-always-valid'], timeoutS: 600, raceRuns: 5, outDir: '/tmp/x' });
  });

  it('bisects the synthetic history by default; --no-bisect skips it, --bisect-only runs nothing else', () => {
    expect(parseSelftestOptions(parsed([]), NAMES)).toMatchObject({ bisect: true, builds: true });
    expect(parseSelftestOptions(parsed(['--no-bisect']), NAMES)).toMatchObject({ bisect: false, suite: true, ftracetest: true, builds: true });
    expect(parseSelftestOptions(parsed(['--bisect-only']), NAMES)).toMatchObject({ bisect: true, suite: false, ftracetest: false, builds: false });
    expect(parseSelftestOptions(parsed(['--ftracetest-only']), NAMES)).toMatchObject({ bisect: false });
    expect(() => parseSelftestOptions(parsed(['--bisect-only', '--no-bisect']), NAMES)).toThrow(/leave nothing to run/);
    expect(() => parseSelftestOptions(parsed(['--bisect-only', '--ftracetest-only']), NAMES)).toThrow(/exclude each other/);
  });

  it('rejects bad values with the fix, as usage errors', () => {
    const bad = (f: Partial<SelftestFlags>) => () => parseSelftestOptions(flags(f), NAMES);
    expect(bad({ raceRuns: '0' })).toThrow(new UsageError('--race-runs 0: use a whole number from 1 to 50'));
    expect(bad({ raceRuns: '51' })).toThrow(UsageError);
    expect(bad({ raceRuns: 'x' })).toThrow(UsageError);
    expect(bad({ timeout: '0' })).toThrow("--timeout '0' must be more than zero: use 500ms, 3s, 20m or 1h (a bare number is seconds)");
    expect(bad({ timeout: '20 min' })).toThrow(/is not a length of time: use 500ms, 3s, 20m or 1h/);
    expect(bad({ timeout: '25h' })).toThrow(UsageError);
    expect(parseSelftestOptions(flags({ timeout: '20m' }), NAMES).timeoutS).toBe(1200);
    expect(bad({ only: ['nope'] })).toThrow('--only nope: no such mutant; the mutants are revalidate-always-valid, list-del-under-srcu');
    expect(bad({ ftracetestOnly: true, ftracetest: false })).toThrow(UsageError);
  });

  it('rejects an unknown flag (commander)', () => {
    expect(() => parsed(['--races', '3'])).toThrow();
  });
});

describe('kernel selftest kernels', () => {
  it('puts the clean kernel first, each mutant after it with its patch, -kasan appended under --kasan', () => {
    const m = { name: 'x', undoes: ['u'], expect: ['e'], description: 'd', file: '/m/01-x.patch' };
    expect(kernelsFor([m], false)).toEqual([
      { name: 'clean', mutant: undefined, patches: [] },
      { name: 'x', mutant: m, patches: ['/m/01-x.patch'] },
    ]);
    expect(kernelsFor([m], true).map((k) => k.name)).toEqual(['clean-kasan', 'x-kasan']);
  });
});
