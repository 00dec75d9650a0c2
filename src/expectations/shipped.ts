// SPDX-License-Identifier: GPL-2.0-only
// The project's own expectations file, kernel/known-bugs.json, found beside
// the code (a checkout or an installed package alike), and the known crashers
// every `run` applies from it without being asked.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { packageRoot } from '../package.js';
import { parseCatalogue, parseExpectations } from './parse.js';
import type { ExpectEntry, KnownBug } from './types.js';

/** Relative to the package root, which `files` in package.json ships. */
export const SHIPPED_RELATIVE = path.join('kernel', 'known-bugs.json');
export const SHIPPED_FILE = path.join(packageRoot, SHIPPED_RELATIVE);

/**
 * The file an `--expect` path names: as given (relative to cwd), or, when that
 * does not exist and the path is relative, the package's own file of that
 * name (so `--expect kernel/known-bugs.json` works from any directory with an
 * installed package). Undefined when neither exists.
 */
export function resolveExpectFile(file: string, cwd = process.cwd(), root = packageRoot): string | undefined {
  const given = path.resolve(cwd, file);
  if (fs.existsSync(given)) return given;
  if (path.isAbsolute(file)) return undefined;
  const shipped = path.resolve(root, file);
  return fs.existsSync(shipped) ? shipped : undefined;
}

/**
 * The shipped file's known crashers, as skip entries (named by the file's
 * path, which reports quote). A package without its data refuses to run:
 * without it, a run would start what crashes this kernel.
 */
export function shippedCrashers(scenarios: readonly string[], file = SHIPPED_FILE): ExpectEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read the known-crasher list ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): ` +
        'reinstall the package (it ships kernel/known-bugs.json), or pass --run-known-crashers to run without it',
    );
  }
  return parseExpectations(text, file, scenarios).filter((e) => e.crasher);
}

/**
 * The shipped crashers, then the given files' entries: a crasher a given file
 * also defines (same id) is the file's, so a user can narrow or widen its ranges.
 */
export function withShippedCrashers(shipped: readonly ExpectEntry[], given: readonly ExpectEntry[]): ExpectEntry[] {
  const overridden = new Set(given.filter((e) => e.crasher).map((e) => e.crasher!.id));
  return [...shipped.filter((e) => !overridden.has(e.crasher!.id)), ...given];
}

/**
 * The known bugs the shipped file names failures by. Undefined when the file
 * cannot be read or is not valid: naming is an annotation, and its absence
 * must not stop a run (the crashers' own check refuses a package without it).
 */
export function shippedKnownBugs(scenarios: readonly string[], file = SHIPPED_FILE): KnownBug[] | undefined {
  try {
    return parseCatalogue(fs.readFileSync(file, 'utf8'), file, scenarios).bugs;
  } catch {
    return undefined;
  }
}
