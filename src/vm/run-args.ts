// SPDX-License-Identifier: GPL-2.0-only
// The guest's `run` arguments (after `vm ... --`), read with `run`'s own
// commander definition, edited as parsed options, and written back as argv:
// one grammar, so an option added to `run` reaches the guest without a line
// here, and a short cluster (`-vfktap`) means to the host what it means to the
// guest (`-fktap` once slipped past the host while the guest's forced
// `--format json` silently won). The definition is handed in by
// cli/commands/vm.ts: this layer sits below cli.
import { CommanderError, type Command, type Option } from 'commander';
import { UsageError } from '../errors.js';

/** `run`'s command as the guest's CLI declares it (with --color); only its options are used. */
export type RunGrammar = () => Command;

/** An option's value as commander parsed it: a flag, a value, or a repeatable option's values. */
export type OptionValue = boolean | string | string[];

/** The guest's `run` arguments, parsed. */
export interface GuestRun {
  /** Each option given on the command line, by commander's attribute name (scenario, format, reproDir...). */
  opts: Record<string, OptionValue>;
  /**
   * What `run` does not know (from the first unknown option on) and stray
   * operands: carried to the guest as typed, for its commander to refuse.
   */
  rest: string[];
}

/** Parses argv as the guest's `run` will; a missing value or a bad choice is a UsageError. */
export function parseGuestRun(argv: readonly string[], grammar: RunGrammar): GuestRun {
  const cmd = quiet(grammar());
  let parsed: { operands: string[]; unknown: string[] };
  try {
    parsed = cmd.parseOptions([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) throw new UsageError(`${e.message.replace(/^error: /, '')} (after --, for run)`);
    throw e;
  }
  const opts: Record<string, OptionValue> = {};
  for (const o of cmd.options) {
    const key = o.attributeName();
    if (cmd.getOptionValueSource(key) === 'cli') opts[key] = cmd.getOptionValue(key) as OptionValue;
  }
  const operands = parsed.operands.length ? ['--', ...parsed.operands] : [];
  return { opts, rest: [...parsed.unknown, ...operands] };
}

/** argv for the guest's `run`: every option in its declared order (each in its long form), then `rest`. */
export function renderGuestRun(run: GuestRun, grammar: RunGrammar): string[] {
  const options = grammar().options;
  const out: string[] = [];
  const done = new Set<string>();
  for (const o of options) {
    const key = o.attributeName();
    if (done.has(key) || !(key in run.opts)) continue;
    done.add(key);
    out.push(...renderOption(options, key, run.opts[key]!));
  }
  const unknown = Object.keys(run.opts).filter((k) => !done.has(k));
  if (unknown.length) throw new Error(`renderGuestRun: run declares no option for ${unknown.join(', ')}`);
  return [...out, ...run.rest];
}

function renderOption(options: readonly Option[], key: string, value: OptionValue): string[] {
  const named = options.filter((o) => o.attributeName() === key);
  if (typeof value === 'boolean') {
    const flag = named.find((o) => o.negate === !value && !o.required && !o.optional);
    if (!flag) throw new Error(`renderGuestRun: no ${value ? '' : 'negated '}flag for ${key}`);
    return [flag.long!];
  }
  const withValue = named.find((o) => o.required || o.optional);
  if (!withValue) throw new Error(`renderGuestRun: ${key} takes no value`);
  // --name=value: a value that starts with '-' stays a value.
  return (Array.isArray(value) ? value : [value]).map((v) => `${withValue.long!}=${v}`);
}

/** The host only reads: commander's errors come back as exceptions, nothing is printed, nothing exits. */
function quiet(cmd: Command): Command {
  return cmd.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
}
