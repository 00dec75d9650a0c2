// Checking a report path before a long run: `run` and `vm` both refuse an
// unwritable --output up front, not after the work is done.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** Fails now, not after a long run, when the report cannot be written. */
export function checkOutputWritable(file: string, flag = '--output'): void {
  const dir = path.dirname(path.resolve(file));
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file);
  } catch {
    // a new file: its directory must exist and be writable
  }
  if (st?.isDirectory()) throw new UsageError(`${flag} ${file} is a directory: name a file such as ${path.join(file, 'report.json')}`);
  try {
    fs.accessSync(st ? file : dir, fs.constants.W_OK);
    if (!fs.statSync(dir).isDirectory()) throw new Error('not a directory');
    // access(2) says yes to root even on a read-only mount: try it for real
    const fd = fs.openSync(file, 'a');
    fs.closeSync(fd);
    if (!st) fs.unlinkSync(file);
  } catch (e) {
    throw new UsageError(`${flag} ${file} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): pick a writable path`);
  }
}
