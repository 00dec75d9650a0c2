// SPDX-License-Identifier: GPL-2.0-only
// One way to meet SIGINT/SIGTERM (and SIGHUP where a command stops on it):
// a scope that installs its handlers once, turns the first signal into an
// AbortSignal (passed on to children, loops and QEMU) and restores the
// process's handlers when disposed.
//
// A second signal is swallowed, never the default exit: npm's script forwards
// the terminal's ^C that reached this process too, and a second ^C while
// cleaning up must not skip the cleanup.
import { STOP_SIGNALS } from '../errors.js';

/** The part of `process` a scope uses; tests pass an EventEmitter. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface InterruptOptions {
  /** The signals that stop the scope's work (default: STOP_SIGNALS). */
  signals?: readonly NodeJS.Signals[];
  /** Called once, at the first signal, before the scope's signal aborts (e.g. to say what stops). */
  onSignal?: (signal: NodeJS.Signals) => void;
  process?: SignalSource;
}

export interface InterruptScope {
  /** Aborted at the first signal; its reason is the signal's name. */
  readonly signal: AbortSignal;
  /** The first signal that came, if any. */
  readonly received: NodeJS.Signals | undefined;
  /** Removes the handlers (idempotent): a signal then does what it did before the scope. */
  dispose(): void;
}

export function interruptScope(o: InterruptOptions = {}): InterruptScope {
  const source = o.process ?? process;
  const signals = o.signals ?? STOP_SIGNALS;
  const ctrl = new AbortController();
  let received: NodeJS.Signals | undefined;
  let installed = true;
  const on = (sig: NodeJS.Signals) => {
    if (received) return;
    received = sig;
    o.onSignal?.(sig);
    ctrl.abort(sig);
  };
  for (const s of signals) source.on(s, on);
  return {
    signal: ctrl.signal,
    get received() {
      return received;
    },
    dispose() {
      if (!installed) return;
      installed = false;
      for (const s of signals) source.off(s, on);
    },
  };
}
