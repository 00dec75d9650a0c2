// SPDX-License-Identifier: GPL-2.0-only
// Strict validation of everything that goes into a control-file line. A
// name that carried whitespace, a newline or ':' could smuggle a second
// command (e.g. "x\n-:other/ev") into a write: validate, never escape.

import { UsageError } from '../errors.js';

/** MAX_EVENT_NAME_LEN in kernel/trace/trace.h. */
export const MAX_NAME_LEN = 64;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Kernel symbols may carry compiler suffixes such as .isra.0 or .cold. */
const SYMBOL = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/**
 * An absolute, normalised path (what realpath gives: no empty, '.' or '..'
 * component, no trailing '/') with nothing the probe parser splits on.
 */
const SAFE_PATH = /^(?:\/[A-Za-z0-9_.+-]+)+$/;
const DOT_COMPONENT = /\/\.\.?(?=\/|$)/;
/**
 * One command as the kernel reads it: printable ASCII only. Its parser splits
 * commands at '\n' and fields with the kernel's isspace(), whose Latin-1 table
 * counts byte 0xa0 as a space: U+00A0 (c2 a0) would split a field.
 */
const ONE_COMMAND = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** A name that would not make exactly one control-file command: bad input, exit 2. */
export class NameError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'NameError';
  }
}

function describe(s: unknown): string {
  return typeof s === 'string' ? JSON.stringify(s) : `(a ${typeof s}, not a string)`;
}

/** A group or event name: a C identifier of at most 64 characters. */
export function validateName(what: 'group' | 'event' | 'instance', name: string): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new NameError(`${what} name is empty: use a C identifier such as tfsr_probe`);
  if (name.length > MAX_NAME_LEN) {
    throw new NameError(
      `${what} name ${describe(name)} is ${name.length} characters: the kernel's limit is ${MAX_NAME_LEN}`,
    );
  }
  if (!IDENT.test(name)) {
    throw new NameError(
      `${what} name ${describe(name)} is not a C identifier ([A-Za-z_][A-Za-z0-9_]*): whitespace, ':' and '/' would change the command`,
    );
  }
  return name;
}

export function validateSymbol(sym: string): string {
  if (typeof sym !== 'string' || sym.length > 256 || !SYMBOL.test(sym)) {
    throw new NameError(`kernel symbol ${describe(sym)} is not a plain symbol name ([A-Za-z_][A-Za-z0-9_.]*)`);
  }
  return sym;
}

export function validatePath(p: string): string {
  if (typeof p !== 'string' || p.length > 4096 || !SAFE_PATH.test(p)) {
    throw new NameError(
      `uprobe target path ${describe(p)} must be absolute and use only [A-Za-z0-9_.+-/]: ':' and whitespace would split the definition` +
        " (and no empty component or trailing '/')",
    );
  }
  if (DOT_COMPONENT.test(p))
    throw new NameError(`uprobe target path ${describe(p)} has a '.' or '..' component: pass its realpath`);
  return p;
}

/**
 * The last gate before a control-file write: one line of printable ASCII,
 * no leading or trailing space.
 * Definitions are built from validated parts, so this failing means a bug.
 */
export function assertSingleCommand(line: string): string {
  if (typeof line !== 'string' || !ONE_COMMAND.test(line)) {
    throw new NameError(`refusing to write ${describe(line)} to a control file: it is not exactly one command`);
  }
  return line;
}

// ---------------------------------------------------------------------------
// The names a run gives what it creates, and the one parser that reads them
// back. Ownership builds names only through runNames; stale.ts decides what a
// name belongs to only through parseOwned. A name is ours only when it matches
// this grammar exactly: `tfsr_debug`, `tfsr_12_abcdef_mine` or `tfsr_12_ABCDEF`
// belong to someone else and are never removed.
//
//   runId    = "tfsr_" pid "_" tag          pid: [1-9][0-9]*, tag: 6 lowercase hex
//   group    = runId | runId "_g" n         n: [1-9][0-9]*
//   instance = runId "_i" n | runId "_lease"
//   event    = "e" n                          (in one of our groups)
//   synthetic event = group "_e" n            (in the shared group 'synthetic')

/** What every name a run creates starts with. */
export const RUN_PREFIX = 'tfsr_';

const PID = '[1-9][0-9]{0,9}';
const TAG = '[0-9a-f]{6}';
const SEQ = '[1-9][0-9]{0,9}';
const RUN_ID = `${RUN_PREFIX}(${PID})_${TAG}`;
const RE = {
  runId: new RegExp(`^${RUN_ID}$`),
  group: new RegExp(`^(${RUN_ID})(?:_g${SEQ})?$`),
  instance: new RegExp(`^(${RUN_ID})_i${SEQ}$`),
  lease: new RegExp(`^(${RUN_ID})_lease$`),
  event: new RegExp(`^e${SEQ}$`),
  synthetic: new RegExp(`^((${RUN_ID})(?:_g${SEQ})?)_e${SEQ}$`),
};

/** A name of ours, parsed: the run that owns it (run id and pid) and what it is. */
export interface OwnedName {
  what: 'group' | 'instance' | 'lease' | 'synthetic';
  runId: string;
  pid: number;
}

function parsed(what: OwnedName['what'], m: RegExpExecArray | null, idAt = 1): OwnedName | undefined {
  return m ? { what, runId: m[idAt]!, pid: Number(m[idAt + 1]) } : undefined;
}

/** tfsr_<pid>_<6 hex> exactly. */
export function isRunId(name: string): boolean {
  return RE.runId.test(name);
}

/** A group name of ours (tfsr_<pid>_<tag> or ..._g<n>), else undefined. */
export function parseOwnedGroup(name: string): OwnedName | undefined {
  return parsed('group', RE.group.exec(name));
}

/** An instance of ours: a scenario's (..._i<n>) or a run's lease (..._lease). */
export function parseOwnedInstance(name: string): OwnedName | undefined {
  return parsed('instance', RE.instance.exec(name)) ?? parsed('lease', RE.lease.exec(name));
}

/**
 * An event of ours: e<n> in one of our groups, or a synthetic event named
 * <our group>_e<n> (synthetic events all live in the group 'synthetic').
 */
export function parseOwnedEvent(group: string, event: string, syntheticGroup: string): OwnedName | undefined {
  if (group === syntheticGroup) return parsed('synthetic', RE.synthetic.exec(event), 2);
  const g = parseOwnedGroup(group);
  return g && RE.event.test(event) ? g : undefined;
}

function built(name: string, ok: boolean): string {
  // A builder whose output the parser would not read back is a bug here, not bad input.
  if (!ok) throw new Error(`internal: built the name ${JSON.stringify(name)} outside the run-name grammar`);
  return validateName('group', name);
}

/** The only builders of the names a run creates; each result parses back to its run id. */
export const runNames = {
  runId: (pid: number, tag: string): string =>
    built(`${RUN_PREFIX}${pid}_${tag}`, RE.runId.test(`${RUN_PREFIX}${pid}_${tag}`)),
  group: (runId: string, n: number): string =>
    built(`${runId}_g${n}`, parseOwnedGroup(`${runId}_g${n}`)?.runId === runId),
  instance: (runId: string, n: number): string =>
    built(`${runId}_i${n}`, parseOwnedInstance(`${runId}_i${n}`)?.runId === runId),
  lease: (runId: string): string => {
    const p = parseOwnedInstance(`${runId}_lease`);
    return built(`${runId}_lease`, p?.what === 'lease' && p.runId === runId);
  },
  event: (n: number): string => built(`e${n}`, RE.event.test(`e${n}`)),
  syntheticEvent: (group: string, n: number): string =>
    built(`${group}_e${n}`, RE.synthetic.exec(`${group}_e${n}`)?.[1] === group),
};
