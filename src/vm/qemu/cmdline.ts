// SPDX-License-Identifier: GPL-2.0-only
// The guest kernel's command line.
import { UsageError } from '../../errors.js';
import { GUEST_TOKEN_ARG } from '../guest/token.js';

export interface CmdlineOptions {
  /** Extra arguments from --append, appended last so they override ours. */
  append?: string;
  /** This boot's token (guest/token.ts): the proof a test hook asks for before it crashes the guest. */
  guestToken?: string;
}

/**
 * console=ttyS0: the serial log is where panics and oopses are looked for.
 * panic=-1 with QEMU's -no-reboot: a panicking guest ends the run at once instead of hanging.
 * loglevel=5: warnings, errors, BUG/Oops/KASAN reach the console; boot chatter does not (slow under TCG).
 * random.trust_cpu=on: node's getrandom() must not wait for entropy in a fresh guest.
 */
export const BASE_ARGS = ['console=ttyS0', 'panic=-1', 'loglevel=5', 'random.trust_cpu=on', 'rdinit=/init'];

export function buildCmdline(o: CmdlineOptions = {}): string {
  const extra = (o.append ?? '').trim();
  // The kernel takes the command line as one string of at most COMMAND_LINE_SIZE (2048 on x86).
  if (/[\n\0]/.test(extra)) throw new UsageError('--append must be one line of kernel arguments');
  const token = o.guestToken ? [`${GUEST_TOKEN_ARG}=${o.guestToken}`] : [];
  const line = [...BASE_ARGS, ...token, ...(extra ? [extra] : [])].join(' ');
  if (line.length > 2047)
    throw new UsageError(`--append makes the kernel command line ${line.length} bytes; x86 allows 2047`);
  return line;
}
