// SPDX-License-Identifier: GPL-2.0-only
// vm reads the guest's `run` arguments with run's own commander definition:
// one grammar, so a new `run` option needs no line in src/vm.
import { describe, expect, it } from 'vitest';
import type { Option } from 'commander';
import { UsageError } from '../../../src/errors.js';
import { parseGuestRun, renderGuestRun, type RunGrammar } from '../../../src/vm/run-args.js';
import { planVm } from '../../../src/vm/plan.js';
import type { VmOpts } from '../../../src/vm/options.js';
import { RUN_GRAMMAR } from './run-grammar.js';

const OPTS: VmOpts = { kernel: [], memory: '2G', cpus: '3', timeout: '1200' };

/** parse -> render -> parse must give the same options and the same rest. */
function roundTrips(argv: string[], grammar: RunGrammar = RUN_GRAMMAR) {
  const once = parseGuestRun(argv, grammar);
  const again = parseGuestRun(renderGuestRun(once, grammar), grammar);
  expect({ argv, run: again }).toEqual({ argv, run: once });
  return once;
}

/** Each way to type one option of `run`: long and short, attached and apart, twice for a repeatable one. */
function spellings(o: Option): string[][] {
  const value = o.argChoices?.[0] ?? '-x,y=z';
  const other = o.argChoices?.[1] ?? `${value}2`;
  if (!o.required && !o.optional) return [[o.long!], ...(o.short && !o.negate ? [[o.short]] : [])];
  const forms = [[o.long!, value], [`${o.long!}=${value}`], [o.long!, value, o.long!, other]];
  if (o.short) forms.push([o.short, value], [`${o.short}${value}`]);
  return forms;
}

describe('the guest run grammar (run-args.ts)', () => {
  it('round-trips every option of run, in every spelling commander reads', () => {
    const options = RUN_GRAMMAR().options;
    expect(options.length).toBeGreaterThan(20);
    for (const o of options)
      for (const argv of spellings(o)) {
        const run = roundTrips(argv);
        expect({ argv, given: Object.keys(run.opts) }).toEqual({ argv, given: [o.attributeName()] });
      }
  });

  it('round-trips them all at once, and short clusters as commander splits them', () => {
    const all = RUN_GRAMMAR().options.flatMap((o) => spellings(o)[0]!);
    roundTrips(all);
    expect(roundTrips(['-vfktap', '-sremoved-*', '-puprobe', '-oreport.tap']).opts).toEqual({
      verbose: true,
      format: 'ktap',
      scenario: ['removed-*'],
      probe: ['uprobe'],
      output: 'report.tap',
    });
    // a value that looks like a cluster is a value
    expect(roundTrips(['-s', '-fx', '--exclude', '-vfjson']).opts).toEqual({ scenario: ['-fx'], exclude: ['-vfjson'] });
    // the last of a negatable pair wins, as in the guest
    expect(roundTrips(['--allow-remount', '--no-allow-remount']).opts).toEqual({ allowRemount: false });
  });

  it("carries what run does not know to the guest as typed, for the guest's commander to refuse", () => {
    // What follows an unknown option is still read: the host sees -fktap as the guest would.
    expect(roundTrips(['-v', '--no-such', '-fktap'])).toEqual({
      opts: { verbose: true, format: 'ktap' },
      rest: ['--no-such'],
    });
    expect(roundTrips(['-xfktap']).rest).toEqual(['-xfktap']);
    expect(roundTrips(['--', '-fktap']).rest).toEqual(['--', '-fktap']);
  });

  it('refuses a missing value or a bad choice as a UsageError', () => {
    expect(() => parseGuestRun(['--exclude'], RUN_GRAMMAR)).toThrow(UsageError);
    expect(() => parseGuestRun(['--exclude'], RUN_GRAMMAR)).toThrow(/--exclude <id\|glob>' argument missing/);
    expect(() => parseGuestRun(['-fxml'], RUN_GRAMMAR)).toThrow(/--format <format>' argument 'xml' is invalid/);
  });

  it('carries an option planted in run to the guest with no edit in src/vm', () => {
    const planted: RunGrammar = () =>
      RUN_GRAMMAR().option('--planted-new <n>', 'an option run gains tomorrow').option('--planted-flag', 'and a flag');
    roundTrips(['--planted-new', '7', '--planted-flag'], planted);
    const p = planVm(['-vfktap', '--planted-new', '-7', '--planted-flag', '-s', 'removed-*'], OPTS, planted);
    expect(p.format).toBe('ktap');
    expect(p.guestArgs).toEqual(['--scenario=removed-*', '--verbose', '--planted-new=-7', '--planted-flag']);
    // Without it in run's grammar, the option is the guest's to refuse, and it hides nothing from the host.
    expect(planVm(['-s', 'removed-*', '--planted-new', '7'], OPTS, RUN_GRAMMAR).guestArgs).toEqual([
      '--scenario=removed-*',
      '--planted-new',
      '7',
    ]);
  });
});
