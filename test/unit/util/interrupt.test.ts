// SPDX-License-Identifier: GPL-2.0-only
// interruptScope() with an EventEmitter for the process: the first signal
// aborts, a second is swallowed, dispose restores the listeners.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { interruptScope, type SignalSource } from '../../../src/util/interrupt.js';

const fakeProcess = () => {
  const e = new EventEmitter();
  return Object.assign(e, {
    send: (sig: NodeJS.Signals) => e.emit(sig, sig),
  }) as EventEmitter & SignalSource & { send: (sig: NodeJS.Signals) => boolean };
};

describe('interruptScope', () => {
  it('installs one listener per signal, none after dispose (twice is harmless)', () => {
    const p = fakeProcess();
    const s = interruptScope({ process: p, signals: ['SIGINT', 'SIGTERM'] });
    expect(p.listenerCount('SIGINT')).toBe(1);
    expect(p.listenerCount('SIGTERM')).toBe(1);
    expect(p.listenerCount('SIGHUP')).toBe(0);
    s.dispose();
    s.dispose();
    expect(p.listenerCount('SIGINT') + p.listenerCount('SIGTERM')).toBe(0);
  });

  it('defaults to the stop signals: SIGHUP, SIGINT and SIGTERM', () => {
    const p = fakeProcess();
    const s = interruptScope({ process: p });
    expect(['SIGHUP', 'SIGINT', 'SIGTERM'].map((x) => p.listenerCount(x))).toEqual([1, 1, 1]);
    s.dispose();
  });

  it('the first signal aborts with its name and calls onSignal once; a second is swallowed', () => {
    const p = fakeProcess();
    const calls: string[] = [];
    const s = interruptScope({
      process: p,
      signals: ['SIGINT', 'SIGTERM'],
      onSignal: (sig) => calls.push(`${sig} aborted=${s.signal.aborted}`),
    });
    expect(s.signal.aborted).toBe(false);
    expect(s.received).toBeUndefined();
    p.send('SIGTERM');
    p.send('SIGINT');
    expect(s.received).toBe('SIGTERM');
    expect(s.signal.aborted).toBe(true);
    expect(s.signal.reason).toBe('SIGTERM');
    // onSignal runs before the abort: a caller's message comes before what the abort ends.
    expect(calls).toEqual(['SIGTERM aborted=false']);
    s.dispose();
  });

  it('a signal not in its list does nothing', () => {
    const p = fakeProcess();
    const s = interruptScope({ process: p, signals: ['SIGINT'] });
    p.send('SIGHUP');
    expect(s.signal.aborted).toBe(false);
    s.dispose();
  });

  it('after dispose a signal no longer reaches it', () => {
    const p = fakeProcess();
    const s = interruptScope({ process: p, signals: ['SIGINT'] });
    s.dispose();
    p.send('SIGINT');
    expect(s.signal.aborted).toBe(false);
    expect(s.received).toBeUndefined();
  });

  it('scopes nest: each sees the signal, disposing one leaves the other', () => {
    const p = fakeProcess();
    const outer = interruptScope({ process: p, signals: ['SIGINT'] });
    const inner = interruptScope({ process: p, signals: ['SIGINT'] });
    inner.dispose();
    p.send('SIGINT');
    expect(outer.received).toBe('SIGINT');
    expect(inner.received).toBeUndefined();
    outer.dispose();
  });

  it('uses the real process by default', () => {
    const before = process.listenerCount('SIGINT');
    const s = interruptScope({ signals: ['SIGINT'] });
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    process.emit('SIGINT', 'SIGINT');
    expect(s.received).toBe('SIGINT');
    s.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
