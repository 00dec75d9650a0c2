// SPDX-License-Identifier: GPL-2.0-only
// Programs run for the user (cp, tar, dpkg-deb, make): when one fails, the
// failure is theirs to fix, said in one line with the program's last words
// (a CommandError, exit 2), not an execa stack printed as an internal error.
import { execa } from 'execa';
import { CommandError } from '../errors.js';

/** How many of a failed program's last stderr lines the error quotes. */
const TAIL_LINES = 10;

/** Runs file with args and resolves to its stdout; a program that fails or cannot start throws a CommandError. */
export async function runOk(
  file: string,
  args: readonly string[],
  opts: { env?: Record<string, string> } = {},
): Promise<string> {
  const r = await execa(file, args, { ...opts, reject: false });
  if (!r.failed) return r.stdout;
  const command = [file, ...args].join(' ');
  const how = r.exitCode === undefined ? (r.shortMessage ?? 'did not start').split('\n')[0] : `exit ${r.exitCode}`;
  const tail = r.stderr.split('\n').filter(Boolean).slice(-TAIL_LINES).join('\n');
  throw new CommandError(command, r.exitCode, `${command} failed (${how})${tail ? `:\n${tail}` : ''}`);
}
