// --repro-dir: checked (and made) before tracefs is touched, so a bad path
// stops the run with exit 2 and nothing created in tracefs.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * A FAIL's reproducer file name: the result's name, with what a file name
 * can't hold replaced; `@<iteration>` under --repeat, so each iteration's
 * FAIL keeps its own file (the report names it per result).
 */
export function reproFileName(name: string, iteration?: number): string {
  const n = iteration === undefined ? name : `${name}@${iteration}`;
  return `${n.replace(/[^A-Za-z0-9_.@[\]-]/g, '_')}.c`;
}

/** The absolute path of a writable directory (created with its parents when missing); UsageError otherwise. */
export function prepareReproDir(dir: string): string {
  if (!dir) throw new UsageError('--repro-dir needs a directory: e.g. --repro-dir ./repro');
  const abs = path.resolve(dir);
  try {
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    if (st && !st.isDirectory())
      throw new UsageError(`--repro-dir ${dir} is not a directory: give a directory (it is created when missing)`);
    if (!st) fs.mkdirSync(abs, { recursive: true });
    fs.accessSync(abs, fs.constants.W_OK);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(
      `--repro-dir ${dir}: cannot make or write it (${err.code ?? err.message}): give a writable directory`,
    );
  }
  return abs;
}
