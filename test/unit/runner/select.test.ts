// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { KernelFeatureError, UsageError } from '../../../src/errors.js';
import { selectKinds, selectScenarios, DEFAULT_KINDS } from '../../../src/runner/select.js';
import type { Scenario } from '../../../src/scenarios/types.js';

const s = (id: string) => ({ id }) as Scenario;
const all = [s('removed-files-enoent'), s('held-dirfd-enoent'), s('race-reopen'), s('race-getdents')];

describe('scenario selection', () => {
  it('all by default, by id or glob, in catalogue order', () => {
    expect(selectScenarios(all, [])).toHaveLength(4);
    expect(selectScenarios(all, ['race-*']).map((x) => x.id)).toEqual(['race-reopen', 'race-getdents']);
    expect(selectScenarios(all, ['race-getdents', 'removed-files-enoent']).map((x) => x.id)).toEqual([
      'removed-files-enoent',
      'race-getdents',
    ]);
  });
  it('an unknown id is a usage error listing the valid ones', () => {
    expect(() => selectScenarios(all, ['nope'])).toThrow(UsageError);
    expect(() => selectScenarios(all, ['nope'])).toThrow(/race-reopen/);
  });
  it('--exclude takes ids or globs out after --scenario', () => {
    expect(selectScenarios(all, [], ['race-*']).map((x) => x.id)).toEqual([
      'removed-files-enoent',
      'held-dirfd-enoent',
    ]);
    expect(selectScenarios(all, ['race-*'], ['race-getdents']).map((x) => x.id)).toEqual(['race-reopen']);
    // an exclude that matches only scenarios outside the selection is fine
    expect(selectScenarios(all, ['removed-*'], ['race-getdents']).map((x) => x.id)).toEqual(['removed-files-enoent']);
  });
  it('an --exclude matching no scenario, or one that empties the selection, is a usage error', () => {
    expect(() => selectScenarios(all, [], ['nope'])).toThrow(/--exclude: unknown scenario 'nope'.*race-reopen/);
    expect(() => selectScenarios(all, ['race-*'], ['race-*'])).toThrow(/--exclude race-\* leaves no scenario/);
    expect(() => selectScenarios(all, [], ['*'])).toThrow(UsageError);
  });
  it('globs treat regex characters literally', () => {
    expect(selectScenarios([s('a.bcd'), s('axbcd')], ['a.b*']).map((x) => x.id)).toEqual(['a.bcd']);
  });
});

describe('probe kind selection', () => {
  it('defaults to kprobe and uprobe even when unsupported (reported as SKIP)', () => {
    expect(selectKinds([], ['uprobe'])).toEqual({ kinds: DEFAULT_KINDS, explicit: false });
  });
  it('nothing asked for is here: a KernelFeatureError (exit 4), not a usage error', () => {
    expect(selectKinds(['uprobe'], ['uprobe']).kinds).toEqual(['uprobe']);
    expect(() => selectKinds(['kprobe'], ['uprobe'])).toThrow(KernelFeatureError);
    expect(() => selectKinds(['kprobe'], ['uprobe'])).toThrow(/no kprobe events/);
    expect(() => selectKinds(['kprobe', 'fprobe'], [])).toThrow(KernelFeatureError);
    expect(() => selectKinds(['bogus'], ['uprobe'])).toThrow(UsageError);
  });
  it('an explicit kind this kernel lacks beside one it has stays in the run (its variants SKIP)', () => {
    expect(selectKinds(['uprobe,kprobe'], ['uprobe']).kinds).toEqual(['kprobe', 'uprobe']);
  });
  it('all means every supported kind; commas work', () => {
    expect(selectKinds(['all'], ['kprobe', 'uprobe', 'fprobe']).kinds).toEqual(['kprobe', 'uprobe', 'fprobe']);
    expect(selectKinds(['uprobe,kprobe'], ['kprobe', 'uprobe']).kinds).toEqual(['kprobe', 'uprobe']);
  });
});
