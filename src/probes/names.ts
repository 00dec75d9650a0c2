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
