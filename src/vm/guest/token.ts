// SPDX-License-Identifier: GPL-2.0-only
// The guest-only test hooks, and the proof they ask for. This is the one
// module that reads a test hook from the environment (TRACEFS_REGRESS_TEST_*).
//
// Why the environment here: a vm test on the host (test/vm/61, test/vm/70)
// spawns `tracefs-regress vm`, which boots a guest whose /init starts the
// guest's own `run`; no function call reaches across those processes and the
// kernel, so the hook travels as a variable: host test -> `vm` (guestHookEnv
// forwards it) -> the guest command's environment -> guestTestHooks(). Every
// other test hook is an option a test passes in (e.g. runCommand(hooks),
// ScenarioOptions.testHooks); production code reads none.
//
//   TRACEFS_REGRESS_TEST_PANIC_AFTER=N   the guest's `run` crashes its kernel
//       through sysrq after N results (test/vm/70). Honoured only in a guest
//       this tool booted (below); on a host, never (test/live/test-hooks).
//   TRACEFS_REGRESS_TEST_BOOT_STALL_MS=M  `vm` plants a stall in its first
//       boot's /init and gives up on it after M ms (test/vm/61): it only
//       delays the guest the host itself boots.
//
// The proof of a guest: the environment alone proves nothing (a user can
// export TRACEFS_REGRESS_GUEST=1 on a host): the host puts a fresh random
// token on the guest kernel's command line and the same token in the guest
// command's environment; only a kernel booted with it has it in
// /proc/cmdline, which no process can change.
import crypto from 'node:crypto';
import fs from 'node:fs';

/** The kernel command-line parameter (unknown to the kernel, so only shown in /proc/cmdline). */
export const GUEST_TOKEN_ARG = 'tfsr.guest';
/** Where the guest command finds the token the host booted its kernel with. */
export const GUEST_TOKEN_ENV = 'TRACEFS_REGRESS_GUEST_TOKEN';

const TOKEN = /^[0-9a-f]{32}$/;

/** A fresh token for one boot. */
export function newGuestToken(): string {
  return crypto.randomBytes(16).toString('hex');
}

/** The token a command line carries (the last one: --append comes last and may override), or undefined. */
export function cmdlineToken(cmdline: string): string | undefined {
  let token: string | undefined;
  for (const word of cmdline.trim().split(/\s+/)) {
    if (word.startsWith(`${GUEST_TOKEN_ARG}=`)) token = word.slice(GUEST_TOKEN_ARG.length + 1);
  }
  return token;
}

/** Whether env and the running kernel's command line together prove a guest this tool booted. */
export function isBootedGuest(env: NodeJS.ProcessEnv, cmdline: string | undefined): boolean {
  const token = env[GUEST_TOKEN_ENV];
  if (env.TRACEFS_REGRESS_GUEST !== '1' || token === undefined || !TOKEN.test(token)) return false;
  return cmdline !== undefined && cmdlineToken(cmdline) === token;
}

/** /proc/cmdline, or undefined when it cannot be read (then nothing is proven). */
export function readCmdline(file = '/proc/cmdline'): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const PANIC_AFTER_ENV = 'TRACEFS_REGRESS_TEST_PANIC_AFTER';
const BOOT_STALL_ENV = 'TRACEFS_REGRESS_TEST_BOOT_STALL_MS';

/**
 * TEST HOOK (test/vm/70): N when TRACEFS_REGRESS_TEST_PANIC_AFTER=N asks the
 * guest's run to crash its kernel after N results and this is a booted
 * guest; undefined otherwise (always on a host). /proc/cmdline is read only
 * when the hook is asked for.
 */
export function panicAfterForTest(
  env: NodeJS.ProcessEnv,
  cmdline: () => string | undefined = readCmdline,
): number | undefined {
  const after = Number(env[PANIC_AFTER_ENV]);
  if (!Number.isInteger(after) || after < 1) return undefined;
  return isBootedGuest(env, cmdline()) ? after : undefined;
}

/** The hooks a guest's `run` honours (see the header); {} on a host, whatever its environment says. */
export function guestTestHooks(
  env: NodeJS.ProcessEnv = process.env,
  cmdline: () => string | undefined = readCmdline,
): { panicAfter?: number } {
  const panicAfter = panicAfterForTest(env, cmdline);
  return panicAfter === undefined ? {} : { panicAfter };
}

/** What `vm` passes on to the guest command's environment: the guest hooks its own environment asks for. */
export function guestHookEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const after = env[PANIC_AFTER_ENV];
  return after ? { [PANIC_AFTER_ENV]: after } : {};
}

/** TEST HOOK (test/vm/61): the planted boot stall's deadline in ms, when asked for; undefined otherwise. */
export function plantedBootStallMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const ms = Number(env[BOOT_STALL_ENV]);
  return Number.isInteger(ms) && ms > 0 ? ms : undefined;
}
