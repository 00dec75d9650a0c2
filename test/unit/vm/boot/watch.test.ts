// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RESULT_LINE } from '../../../../src/vm/boot/boot.js';
import { expectedMs, graceDeadline, GuestWatch } from '../../../../src/vm/boot/watch.js';

describe('grace decision', () => {
  it('no failure on the console: never end the guest', () => {
    expect(graceDeadline({ lastProgressMs: 5_000 }, 20_000)).toBeUndefined();
    expect(graceDeadline({}, 20_000)).toBeUndefined();
  });

  it('counts from the failure, or from progress made after it', () => {
    expect(graceDeadline({ failureMs: 30_000 }, 20_000)).toBe(50_000);
    expect(graceDeadline({ failureMs: 30_000, lastProgressMs: 10_000 }, 20_000)).toBe(50_000);
    expect(graceDeadline({ failureMs: 30_000, lastProgressMs: 41_000 }, 20_000)).toBe(61_000);
  });
});

describe('expected run time from the journal', () => {
  it('a race announces its duration; anything else, or a damaged line, adds nothing', () => {
    expect(expectedMs('{"type":"running","name":"race-reopen[uprobe]","at":"","expectMs":120000}')).toBe(120_000);
    expect(expectedMs('{"type":"running","name":"removed-files-enoent[uprobe]","at":""}')).toBe(0);
    expect(expectedMs('{"type":"running","name":"x","at":"","expectMs":-5}')).toBe(0);
    expect(expectedMs('{"type":"running","name":"x","at":"","expectM')).toBe(0);
  });
});

describe('guest watch', () => {
  let dir: string;
  let serial: string;
  let journal: string;
  beforeEach(() => {
    vi.useFakeTimers();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-watch-'));
    serial = path.join(dir, 'serial.log');
    journal = path.join(dir, 'journal.jsonl');
  });
  afterEach(() => {
    vi.useRealTimers();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const watch = (onGraceExpired: () => void, o: { graceMs?: number } = { graceMs: 20_000 }) =>
    new GuestWatch({
      serialLog: serial,
      journal,
      graceMs: o.graceMs,
      resultLine: DEFAULT_RESULT_LINE,
      onGraceExpired,
    }).start();

  it('ends a guest that shows an oops and then makes no progress, once, graceMs after the oops', () => {
    const ended = vi.fn();
    const w = watch(ended);
    fs.writeFileSync(serial, 'TFSR-GUEST-RUN uptime=3.1\nPASS  removed-files-enoent[uprobe]  44 checks  9 ms\n');
    vi.advanceTimersByTime(1_000);
    expect(w.runStartMs).toBeDefined();
    expect(w.firstResultMs).toBeDefined();
    fs.appendFileSync(serial, '[   31.4] BUG: kernel NULL pointer dereference, address: 0000000000000010\n');
    vi.advanceTimersByTime(200);
    expect(w.failureMs).toBeDefined();
    vi.advanceTimersByTime(19_700);
    expect(ended).not.toHaveBeenCalled();
    vi.advanceTimersByTime(300);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(w.expiredMs! - w.failureMs!).toBeGreaterThanOrEqual(20_000);
    vi.advanceTimersByTime(60_000);
    expect(ended).toHaveBeenCalledTimes(1);
    w.stop();
  });

  it('a guest that keeps sending journal records after the oops is given the grace again from each', () => {
    const ended = vi.fn();
    const w = watch(ended);
    fs.writeFileSync(serial, '[    9.0] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI\n');
    vi.advanceTimersByTime(200);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(15_000);
      fs.appendFileSync(journal, `{"type":"running","name":"v${i}","at":""}\n`);
    }
    vi.advanceTimersByTime(200);
    expect(ended).not.toHaveBeenCalled();
    vi.advanceTimersByTime(20_000);
    expect(ended).toHaveBeenCalledTimes(1);
    w.stop();
  });

  it('a long race that started before the oops runs out its duration before the grace counts', () => {
    const ended = vi.fn();
    const w = watch(ended);
    fs.writeFileSync(journal, '{"type":"running","name":"race-reopen[uprobe]","at":"","expectMs":60000}\n');
    vi.advanceTimersByTime(1_000);
    fs.writeFileSync(serial, '[   12.0] BUG: kernel NULL pointer dereference, address: 0000000000000050\n');
    vi.advanceTimersByTime(60_000);
    expect(ended).not.toHaveBeenCalled();
    vi.advanceTimersByTime(20_500);
    expect(ended).toHaveBeenCalledTimes(1);
    w.stop();
  });

  it('progress without an oops arms nothing, and no grace configured never ends the guest (planted: ftracetest-style caller)', () => {
    const ended = vi.fn();
    const w = watch(ended);
    fs.writeFileSync(journal, '{"type":"running","name":"a","at":""}\n');
    vi.advanceTimersByTime(100_000);
    expect(ended).not.toHaveBeenCalled();
    w.stop();
    const w2 = watch(ended, {});
    fs.writeFileSync(serial, '[    9.0] Kernel panic - not syncing: Fatal exception\n');
    vi.advanceTimersByTime(100_000);
    expect(w2.failureMs).toBeDefined();
    expect(ended).not.toHaveBeenCalled();
    w2.stop();
  });
});
