// SPDX-License-Identifier: GPL-2.0-only
// --repro-dir: checked (and made) before tracefs is touched, so a bad path
// stops the run with exit 2 and nothing created in tracefs.
import { prepareOutputDir } from '../util/output.js';

/**
 * A FAIL's reproducer file name: the result's name, with what a file name
 * can't hold replaced; `@<iteration>` under --repeat, so each iteration's
 * FAIL keeps its own file (the report names it per result).
 */
export function reproFileName(name: string, iteration?: number): string {
  const n = iteration === undefined ? name : `${name}@${iteration}`;
  return `${n.replace(/[^A-Za-z0-9_.@[\]-]/g, '_')}.c`;
}

/**
 * The real path of a writable directory on storage, made when missing
 * (util/output: the filesystem is checked before any mkdir); UsageError otherwise.
 */
export function prepareReproDir(dir: string): string {
  return prepareOutputDir(dir, '--repro-dir');
}
