// Proof that this process runs inside a guest the tool booted, for the test
// hooks that crash a guest's kernel. The environment alone proves nothing (a
// user can export TRACEFS_REGRESS_GUEST=1 on a host): the host puts a fresh
// random token on the guest kernel's command line and the same token in the
// guest command's environment; only a kernel booted with it has it in
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
  const after = Number(env.TRACEFS_REGRESS_TEST_PANIC_AFTER);
  if (!Number.isInteger(after) || after < 1) return undefined;
  return isBootedGuest(env, cmdline()) ? after : undefined;
}
