// Strict validation of everything that goes into a control-file line. A
// name that carried whitespace, a newline or ':' could smuggle a second
// command (e.g. "x\n-:other/ev") into a write: validate, never escape.

import { UsageError } from '../errors.js';

/** MAX_EVENT_NAME_LEN in kernel/trace/trace.h. */
export const MAX_NAME_LEN = 64;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Kernel symbols may carry compiler suffixes such as .isra.0 or .cold. */
const SYMBOL = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** An absolute path with nothing the probe parser splits on. */
const SAFE_PATH = /^\/[A-Za-z0-9_.+\-/]*$/;

/** A name that would not make exactly one control-file command: bad input, exit 2. */
export class NameError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'NameError';
  }
}

function describe(s: string): string {
  return JSON.stringify(s);
}

/** A group or event name: a C identifier of at most 64 characters. */
export function validateName(what: 'group' | 'event' | 'instance', name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new NameError(`${what} name is empty: use a C identifier such as tfsr_probe`);
  if (name.length > MAX_NAME_LEN) {
    throw new NameError(`${what} name ${describe(name)} is ${name.length} characters: the kernel's limit is ${MAX_NAME_LEN}`);
  }
  if (!IDENT.test(name)) {
    throw new NameError(`${what} name ${describe(name)} is not a C identifier ([A-Za-z_][A-Za-z0-9_]*): whitespace, ':' and '/' would change the command`);
  }
  return name;
}

export function validateSymbol(sym: string): string {
  if (!SYMBOL.test(sym) || sym.length > 256) {
    throw new NameError(`kernel symbol ${describe(sym)} is not a plain symbol name ([A-Za-z_][A-Za-z0-9_.]*)`);
  }
  return sym;
}

export function validatePath(p: string): string {
  if (!SAFE_PATH.test(p) || p.length > 4096 || p.includes('//')) {
    throw new NameError(`uprobe target path ${describe(p)} must be absolute and use only [A-Za-z0-9_.+-/]: ':' and whitespace would split the definition`);
  }
  return p;
}

/**
 * The last gate before a control-file write: one line, no control characters.
 * Definitions are built from validated parts, so this failing means a bug.
 */
export function assertSingleCommand(line: string): string {
  if (/[\x00-\x1f\x7f]/.test(line) || line.trim() !== line || line.length === 0) {
    throw new NameError(`refusing to write ${describe(line)} to a control file: it is not exactly one command`);
  }
  return line;
}
