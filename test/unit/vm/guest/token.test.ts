// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import {
  cmdlineToken,
  guestHookEnv,
  guestTestHooks,
  isBootedGuest,
  newGuestToken,
  panicAfterForTest,
  plantedBootStallMs,
  readCmdline,
} from '../../../../src/vm/guest/token.js';
import { buildCmdline } from '../../../../src/vm/qemu/cmdline.js';

const T = newGuestToken();
const GUEST_LINE = buildCmdline({ guestToken: T });
const HOST_LINE = 'BOOT_IMAGE=/vmlinuz-6.18.44 root=UUID=0 ro quiet';
const env = (o: Record<string, string>) => o as NodeJS.ProcessEnv;

describe('the proof of a guest this tool booted', () => {
  it('a fresh 128-bit token each boot, on the kernel command line as tfsr.guest=', () => {
    expect(T).toMatch(/^[0-9a-f]{32}$/);
    expect(newGuestToken()).not.toBe(T);
    expect(cmdlineToken(GUEST_LINE)).toBe(T);
    expect(cmdlineToken(HOST_LINE)).toBeUndefined();
    // --append comes last; a second tfsr.guest= there wins, and then no hook fires (the safe way round).
    expect(cmdlineToken(buildCmdline({ guestToken: T, append: 'tfsr.guest=x' }))).toBe('x');
  });

  it('holds only when the environment and /proc/cmdline carry the same token', () => {
    const guest = env({ TRACEFS_REGRESS_GUEST: '1', TRACEFS_REGRESS_GUEST_TOKEN: T });
    expect(isBootedGuest(guest, `${GUEST_LINE}\n`)).toBe(true);
    expect(isBootedGuest(guest, HOST_LINE)).toBe(false);
    expect(isBootedGuest(guest, undefined)).toBe(false);
    expect(isBootedGuest(guest, buildCmdline({ guestToken: newGuestToken() }))).toBe(false);
    expect(isBootedGuest(env({ TRACEFS_REGRESS_GUEST: '1' }), GUEST_LINE)).toBe(false);
    expect(isBootedGuest(env({ TRACEFS_REGRESS_GUEST_TOKEN: T }), GUEST_LINE)).toBe(false);
    // An empty token must not match an empty tfsr.guest=.
    expect(isBootedGuest(env({ TRACEFS_REGRESS_GUEST: '1', TRACEFS_REGRESS_GUEST_TOKEN: '' }), 'tfsr.guest=')).toBe(
      false,
    );
  });

  it('the panic hook is armed in a booted guest only, never from the environment alone', () => {
    const asked = { TRACEFS_REGRESS_GUEST: '1', TRACEFS_REGRESS_TEST_PANIC_AFTER: '3' };
    // What the issue reproduced on a host: the old code crashed the kernel with just these two variables.
    expect(panicAfterForTest(env(asked), () => HOST_LINE)).toBeUndefined();
    expect(panicAfterForTest(env({ ...asked, TRACEFS_REGRESS_GUEST_TOKEN: T }), () => HOST_LINE)).toBeUndefined();
    expect(panicAfterForTest(env({ ...asked, TRACEFS_REGRESS_GUEST_TOKEN: T }), () => GUEST_LINE)).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'x', ''])
      expect(
        panicAfterForTest(
          env({ ...asked, TRACEFS_REGRESS_TEST_PANIC_AFTER: bad, TRACEFS_REGRESS_GUEST_TOKEN: T }),
          () => GUEST_LINE,
        ),
      ).toBeUndefined();
  });

  it("does not read /proc/cmdline unless the hook is asked for, and this host's has no token", () => {
    let reads = 0;
    expect(panicAfterForTest(env({ TRACEFS_REGRESS_GUEST: '1' }), () => (reads++, GUEST_LINE))).toBeUndefined();
    expect(reads).toBe(0);
    expect(cmdlineToken(readCmdline() ?? '')).toBeUndefined();
    expect(readCmdline('/nonexistent/cmdline')).toBeUndefined();
  });

  it("a run's guest hooks: the panic in a booted guest only, {} on a host whatever its environment", () => {
    const asked = { TRACEFS_REGRESS_GUEST: '1', TRACEFS_REGRESS_TEST_PANIC_AFTER: '2', TRACEFS_REGRESS_GUEST_TOKEN: T };
    expect(guestTestHooks(env(asked), () => GUEST_LINE)).toEqual({ panicAfter: 2 });
    expect(guestTestHooks(env(asked), () => HOST_LINE)).toEqual({});
    expect(guestTestHooks(env({}), () => GUEST_LINE)).toEqual({});
  });

  it('vm forwards only the guest hook its environment asks for to the guest command', () => {
    expect(guestHookEnv(env({ TRACEFS_REGRESS_TEST_PANIC_AFTER: '3', TFSR_TEST_INVERT_CHECK: '#1' }))).toEqual({
      TRACEFS_REGRESS_TEST_PANIC_AFTER: '3',
    });
    expect(guestHookEnv(env({}))).toEqual({});
  });

  it('the planted boot stall: a positive whole number of ms, nothing otherwise', () => {
    expect(plantedBootStallMs(env({ TRACEFS_REGRESS_TEST_BOOT_STALL_MS: '15000' }))).toBe(15000);
    for (const bad of ['0', '-5', '1.5', 'x', ''])
      expect(plantedBootStallMs(env({ TRACEFS_REGRESS_TEST_BOOT_STALL_MS: bad }))).toBeUndefined();
    expect(plantedBootStallMs(env({}))).toBeUndefined();
  });
});
