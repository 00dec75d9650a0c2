// The guest's `run` arguments (after `vm ... --`) as commander will read them
// in the guest, so the host finds every option it must rewrite or check: a
// short cluster `-vfktap` is `-v -f ktap` to commander, and without this
// `-fktap` slipped past the host while the guest's forced `--format json`
// silently won.
import { UsageError } from '../errors.js';

/**
 * `run`'s short options, as its command declares them (a test compares the
 * two): those taking a value, and the boolean ones a cluster may start with.
 */
export const RUN_SHORT_VALUE = ['s', 'p', 'f', 'o'] as const;
export const RUN_SHORT_FLAG = ['v', 'h'] as const;

/**
 * Each short cluster split as commander splits it: `-vfktap` -> `-v -f ktap`,
 * `-sremoved-*` -> `-s removed-*`. Long options, values and everything after a
 * bare `--` stay as they are; a cluster with a letter `run` does not know is
 * left whole for the guest's commander to refuse.
 */
export function expandShortOptions(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    out.push(...splitCluster(a));
    // The value of a short or long option that takes one is never a cluster.
    if (takesNextValue(out.at(-1)!) && i + 1 < args.length) out.push(args[++i]!);
  }
  return out;
}

function splitCluster(a: string): string[] {
  if (!/^-[^-]./.test(a)) return [a];
  const parts: string[] = [];
  for (let j = 1; j < a.length; j++) {
    const c = a[j]!;
    if ((RUN_SHORT_VALUE as readonly string[]).includes(c)) {
      parts.push(`-${c}`);
      const value = a.slice(j + 1);
      if (value) parts.push(value);
      return parts;
    }
    if (!(RUN_SHORT_FLAG as readonly string[]).includes(c)) return [a];
    parts.push(`-${c}`);
  }
  return parts;
}

/** Options of `run` whose value is the next argument when not attached (a test compares them with `run`'s). */
export const RUN_LONG_VALUE = [
  'scenario',
  'exclude',
  'probe',
  'format',
  'output',
  'journal',
  'tracefs',
  'duration',
  'scenario-timeout',
  'threads',
  'expect',
  'repeat',
  'color',
  'repro-dir',
] as const;

function takesNextValue(opt: string): boolean {
  return (
    (RUN_SHORT_VALUE as readonly string[]).some((c) => opt === `-${c}`) ||
    (RUN_LONG_VALUE as readonly string[]).some((l) => opt === `--${l}`)
  );
}

/** The values of one option (`--exclude X`, `--exclude=X`, or its short form) in expanded args. */
export function optionValues(args: readonly string[], long: string, short?: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a === long || (short && a === short)) {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      values.push(v);
    } else if (a.startsWith(`${long}=`)) values.push(a.slice(long.length + 1));
  }
  return values;
}
