// SPDX-License-Identifier: GPL-2.0-only
// The native watchdog (native/watchdog.cc) on its own: it picks a real-time
// signal nobody else handles, installs a handler for it (no SA_RESTART, so
// a blocked call fails with EINTR), fires only at its deadline, repeats
// until disarmed, and checks its arguments.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { armWatchdog, C, isErr, native, watchdogSignal } from '../../../src/native/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-watchdog-'));
afterAll(() => fs.rmSync(dir, { recursive: true }));

/** A FIFO opened read-write: a read of it blocks until someone writes. */
function blockingFd(): number {
  const p = path.join(dir, `fifo${Math.random().toString(36).slice(2)}`);
  execFileSync('mkfifo', [p]);
  return native.open(p, C.O_RDWR) as number;
}

/** Whether this process has a handler installed for signal sig (/proc/self/status SigCgt). */
function caught(sig: number): boolean {
  const hex = /^SigCgt:\s*([0-9a-f]+)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]!;
  return ((BigInt(`0x${hex}`) >> BigInt(sig - 1)) & 1n) === 1n;
}

describe('the watchdog', () => {
  it('uses a real-time signal (above glibc reserved 32 and 33) and handles it', () => {
    const sig = watchdogSignal();
    expect(sig).toBeGreaterThanOrEqual(34 + 2);
    expect(sig).toBeLessThanOrEqual(64);
    expect(caught(sig)).toBe(true);
  });

  it('interrupts a blocked read at its deadline, and again every 50 ms until disarmed', () => {
    const fd = blockingFd();
    const t0 = performance.now();
    const w = armWatchdog(300, 'test');
    const first = native.read(fd, 8);
    const at = performance.now() - t0;
    const second = native.read(fd, 8);
    const r = w.disarm();
    native.close(fd);
    expect(isErr(first) && first.code).toBe('EINTR');
    expect(isErr(second) && second.code).toBe('EINTR');
    expect(at).toBeGreaterThanOrEqual(295);
    expect(r.fired).toBe(true);
    expect(r.signals).toBeGreaterThanOrEqual(2);
    expect(w.disarm()).toBe(r);
  });

  it('does not fire when disarmed in time (planted: the same arm with a long deadline)', async () => {
    const w = armWatchdog(60_000, 'test');
    await new Promise((res) => setTimeout(res, 50));
    expect(w.disarm()).toEqual({ fired: false, signals: 0, overrunMs: 0 });
  });

  it('checks its arguments and refuses a second disarm of the same id', () => {
    expect(() => native.watchdogArm(0, 'x')).toThrow(TypeError);
    expect(() => native.watchdogArm(1.5, 'x')).toThrow(TypeError);
    expect(() => native.watchdogArm(Number.NaN, 'x')).toThrow(TypeError);
    expect(() => native.watchdogArm(1000, 7 as unknown as string)).toThrow(TypeError);
    const id = native.watchdogArm(60_000, 'x');
    native.watchdogDisarm(id);
    expect(() => native.watchdogDisarm(id)).toThrow(/no such arm/);
  });
});
