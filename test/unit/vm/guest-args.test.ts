// vm's pass-through reads `run`'s arguments as the guest's commander will.
import { describe, expect, it } from 'vitest';
import {
  expandShortOptions,
  optionValues,
  RUN_LONG_VALUE,
  RUN_SHORT_FLAG,
  RUN_SHORT_VALUE,
} from '../../../src/vm/guest-args.js';
import { runCommand } from '../../../src/cli/commands/run.js';
import { colorOption } from '../../../src/cli/main.js';

describe('expandShortOptions', () => {
  it('splits short clusters as commander does', () => {
    expect(expandShortOptions(['-fktap'])).toEqual(['-f', 'ktap']);
    expect(expandShortOptions(['-vfktap'])).toEqual(['-v', '-f', 'ktap']);
    expect(expandShortOptions(['-vf', 'ktap'])).toEqual(['-v', '-f', 'ktap']);
    expect(expandShortOptions(['-sremoved-*', '-puprobe'])).toEqual(['-s', 'removed-*', '-p', 'uprobe']);
    expect(expandShortOptions(['-oreport.tap'])).toEqual(['-o', 'report.tap']);
    expect(expandShortOptions(['-vh'])).toEqual(['-v', '-h']);
  });

  it('leaves long options, values, unknown clusters and what follows -- alone', () => {
    expect(expandShortOptions(['--format=ktap', '--bail'])).toEqual(['--format=ktap', '--bail']);
    // a value that looks like a cluster is a value
    expect(expandShortOptions(['-s', '-fx', '--exclude', '-vfjson'])).toEqual(['-s', '-fx', '--exclude', '-vfjson']);
    expect(expandShortOptions(['-xfktap'])).toEqual(['-xfktap']);
    expect(expandShortOptions(['--', '-fktap'])).toEqual(['--', '-fktap']);
    expect(expandShortOptions(['-v'])).toEqual(['-v']);
  });

  it("knows run's short options exactly (compared with run's own declaration)", () => {
    const cmd = runCommand().addOption(colorOption());
    const shorts = cmd.options.filter((o) => o.short).map((o) => ({ c: o.short!.slice(1), value: o.required }));
    expect(
      shorts
        .filter((s) => s.value)
        .map((s) => s.c)
        .sort(),
    ).toEqual([...RUN_SHORT_VALUE].sort());
    expect(shorts.filter((s) => !s.value).map((s) => s.c)).toEqual(RUN_SHORT_FLAG.filter((c) => c !== 'h'));
    const longs = cmd.options.filter((o) => o.required).map((o) => o.long!.slice(2));
    expect(longs.sort()).toEqual([...RUN_LONG_VALUE].sort());
  });
});

describe('optionValues', () => {
  it('collects every form of one option', () => {
    const args = ['-s', 'a', '--scenario=b', '--exclude', 'c', '--exclude=d', '--', '-s', 'e'];
    expect(optionValues(args, '--scenario', '-s')).toEqual(['a', 'b']);
    expect(optionValues(args, '--exclude')).toEqual(['c', 'd']);
    expect(() => optionValues(['--exclude'], '--exclude')).toThrow(/--exclude needs a value/);
  });
});
