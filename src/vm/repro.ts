// SPDX-License-Identifier: GPL-2.0-only
// `vm --repro-dir DIR`: the guest's `run` writes its C reproducers into the
// writable results share (the host root is read-only in the guest), and the
// host copies them to DIR (DIR/<kernel> for several kernels) and points the
// report at the copies. The files are the guest's: only regular files with
// plain names are copied, never through a link (guest/file.ts).
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError, UsageError } from '../errors.js';
import { prepareOutputDir, writeFileInDir } from '../util/output.js';
import { MAX_GUEST_FILE, readGuestFile } from './guest/file.js';

/** The subdirectory of the results share the guest's `run --repro-dir` writes into. */
export const SHARE_REPRO = 'repro';

/** A reproducer is small C source: anything bigger is not one. */
export const MAX_REPRO_FILE = Math.min(MAX_GUEST_FILE, 4 * 1024 * 1024);

/** `<scenario>[<kind>].c` and friends: no path separators, no leading dot, nothing a shell would expand. */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+@[\]-]{0,200}$/;

/**
 * The host directory, checked before anything boots (util/output: its
 * filesystem checked before any mkdir, a symlink as its last component
 * refused), created when missing. Returns its real path; a UsageError names
 * the fix otherwise.
 */
export function checkReproDir(dir: string, cwd = process.cwd()): string {
  return prepareOutputDir(dir, '--repro-dir', cwd);
}

/** Where one kernel's reproducers go on the host: DIR itself, or DIR/<label> when several kernels boot. */
export function hostReproDir(dir: string, label: string, many: boolean): string {
  if (!many) return dir;
  const safe = label.replace(/[^A-Za-z0-9_.+-]/g, '_').replace(/^\.+/, '_') || 'kernel';
  return path.join(dir, safe);
}

export interface Collected {
  /** Host paths of the copied files, sorted. */
  copied: string[];
  /** Share entries not copied, each with why. */
  refused: string[];
}

/**
 * Copies the regular files of the share's repro directory to `to` (created).
 * Links, FIFOs, devices, directories, odd names and oversized files are
 * refused, not followed.
 */
export function collectRepro(from: string, to: string): Collected {
  const out: Collected = { copied: [], refused: [] };
  let names: string[];
  try {
    names = fs.readdirSync(from).sort();
  } catch {
    return out; // the guest wrote none (or no directory): nothing failed
  }
  for (const n of names) {
    if (!PLAIN_NAME.test(n)) {
      out.refused.push(`${JSON.stringify(n)}: not a plain file name`);
      continue;
    }
    const text = readGuestFile(path.join(from, n), MAX_REPRO_FILE);
    if (text === undefined) {
      out.refused.push(`${n}: not a regular file of at most ${MAX_REPRO_FILE} bytes`);
      continue;
    }
    try {
      // The host's own file, renamed over a stale one of an earlier run (a link there is replaced, not followed).
      out.copied.push(writeFileInDir(prepareOutputDir(to, '--repro-dir'), n, text));
    } catch (e) {
      if (!(e instanceof UsageError || e instanceof EnvironmentError)) throw e;
      out.refused.push(`${n}: ${e.message}`);
    }
  }
  return out;
}

/** A report, whatever its other fields. */
type AnyReport = { results: object[] };

/** The report fields --repro-dir adds (report/types.ts); only the paths matter here. */
interface WithRepro {
  reproDir?: string;
  results: { reproducer?: { file?: string }; notes?: string[] }[];
}

/**
 * The guest's report names its directory in the share; the host's must name
 * the copies: reproDir becomes `hostDir`. A reproducer's file is a basename in
 * reproDir and stays as it is; should one be an absolute path inside the
 * guest's directory, it maps into `hostDir`, and so does the guest's
 * directory where a note names it. Returns a copy.
 */
export function mapReproPaths<R extends AnyReport>(report: R, guestDir: string, hostDir: string): R {
  const map = (p: string): string => {
    if (!path.isAbsolute(p)) return p;
    const rel = path.relative(guestDir, p);
    return rel.startsWith('..') || path.isAbsolute(rel) ? p : path.join(hostDir, rel);
  };
  const copy = structuredClone(report);
  const r = copy as unknown as WithRepro;
  r.reproDir = hostDir;
  const inGuest = guestDir.endsWith('/') ? guestDir : `${guestDir}/`;
  for (const x of r.results) {
    if (x.reproducer?.file) x.reproducer.file = map(x.reproducer.file);
    if (x.notes) x.notes = x.notes.map((n) => n.split(inGuest).join(`${hostDir}/`));
  }
  return copy;
}
