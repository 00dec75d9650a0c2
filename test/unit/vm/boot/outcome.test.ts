// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { classifyBoot, emulatorInt3, type BootFacts } from '../../../../src/vm/boot/outcome.js';

const facts = (f: Partial<BootFacts>): BootFacts => ({
  accelerator: 'tcg thread=single',
  timeoutMs: 1_200_000,
  memoryMiB: 2048,
  timedOut: false,
  consoleFailures: [],
  outOfMemory: false,
  qemuStderr: '',
  guestCode: 0,
  ...f,
});
const OOPS = [
  'BUG: kernel NULL pointer dereference, address: 0000000000000010',
  'RIP: 0010:event_enable_write+0x4c/0xf0',
];

describe('boot outcome classifier', () => {
  it('a clean guest is DONE', () => {
    expect(classifyBoot(facts({}))).toEqual({ status: 'DONE' });
  });

  it('a guest the host ended after an oops is KERNEL_FAILURE naming the running variant, the grace and the times', () => {
    const r = classifyBoot(
      facts({
        guestCode: undefined,
        consoleFailures: OOPS,
        running: 'fd-across-removal[uprobe]',
        endedAfterFailure: { graceMs: 20_000, failureMs: 31_400, endedMs: 51_400 },
      }),
    );
    expect(r.status).toBe('KERNEL_FAILURE');
    expect(r.message).toBe(
      'the guest kernel reported a failure on the console during fd-across-removal[uprobe] at 31.4 s and the guest made no ' +
        'progress for 20 s: qemu ended at 51.4 s (tcg thread=single)',
    );
  });

  it('ending a guest after an oops is not a TIMEOUT, even when --timeout ran out in the same moment', () => {
    const r = classifyBoot(
      facts({ timedOut: true, consoleFailures: OOPS, endedAfterFailure: { graceMs: 1, failureMs: 1, endedMs: 2 } }),
    );
    expect(r.status).toBe('KERNEL_FAILURE');
  });

  it('a guest that oopsed but finished on its own is KERNEL_FAILURE, with its exit code kept by the caller', () => {
    expect(classifyBoot(facts({ consoleFailures: OOPS, guestCode: 0 })).status).toBe('KERNEL_FAILURE');
  });

  it('a hang without an oops stays a TIMEOUT and names what was running', () => {
    const r = classifyBoot(
      facts({ timedOut: true, guestCode: undefined, running: 'race-reopen[kprobe]', timeoutMs: 10_000 }),
    );
    expect(r).toEqual({
      status: 'TIMEOUT',
      message: 'TIMEOUT: the guest did not finish within 10 s during race-reopen[kprobe]; qemu killed',
    });
  });

  it('a signal wins over everything', () => {
    expect(classifyBoot(facts({ interrupted: 'SIGINT', consoleFailures: OOPS, timedOut: true })).status).toBe(
      'INTERRUPTED',
    );
  });

  it('setup errors, out of memory and silence are told apart', () => {
    expect(classifyBoot(facts({ setupError: 'insmod x failed', guestCode: 2 })).status).toBe('GUEST_SETUP');
    expect(classifyBoot(facts({ guestCode: undefined, outOfMemory: true })).message).toMatch(/raise --memory/);
    const r = classifyBoot(
      facts({ guestCode: undefined, qemuExit: 1, qemuStderr: 'warn\nqemu: could not load kernel\n' }),
    );
    expect(r).toEqual({
      status: 'NO_RESULT',
      message: 'the guest ended without reporting back (qemu exit 1: qemu: could not load kernel)',
    });
  });
});

describe('the emulator int3 fault', () => {
  const INT3 = '[   12.826873] Oops: int3: 0000 [#1] SMP NOPTI';
  it('is an Oops: int3 as the first console failure under multi-threaded TCG', () => {
    expect(emulatorInt3('tcg thread=multi', [INT3, 'RIP: 0010:__schedule+0x2d9/0xcf0'])).toBe(INT3);
  });
  it('is nothing else: another first failure, single TCG, KVM, a clean console', () => {
    expect(
      emulatorInt3('tcg thread=multi', ['BUG: kernel NULL pointer dereference, address: 0000000000000050', INT3]),
    ).toBeUndefined();
    expect(emulatorInt3('tcg thread=single', [INT3])).toBeUndefined();
    expect(emulatorInt3('kvm', [INT3])).toBeUndefined();
    expect(emulatorInt3('tcg thread=multi', [])).toBeUndefined();
  });
});
