// SPDX-License-Identifier: GPL-2.0-only
// One place that undoes what this process did to tracefs, whatever ends it:
// normal return, a thrown error, SIGHUP/SIGINT/SIGTERM, or process exit. Steps run
// last-registered first, synchronously (the native calls are synchronous), so
// they also work from an 'exit' handler.

import { STOP_SIGNALS, exitForSignal } from '../errors.js';
import { interruptScope } from '../util/interrupt.js';

type Step = { name: string; fn: () => void };

const steps: Step[] = [];
let installed = false;
let interruptHook: ((signal: NodeJS.Signals) => Promise<void> | void) | undefined;

/** Registers an undo step; returns a function that unregisters it (after doing it yourself). */
export function onTeardown(name: string, fn: () => void): () => void {
  installHandlers();
  const step = { name, fn };
  steps.push(step);
  return () => {
    const i = steps.indexOf(step);
    if (i >= 0) steps.splice(i, 1);
  };
}

/** Runs every pending step, newest first; one failing step doesn't stop the rest. */
export function runTeardown(): string[] {
  const errors: string[] = [];
  while (steps.length > 0) {
    const step = steps.pop()!;
    try {
      step.fn();
    } catch (e) {
      errors.push(`${step.name}: ${(e as Error).message}`);
    }
  }
  return errors;
}

/**
 * What to do first on SIGHUP/SIGINT/SIGTERM (stop race workers, print partial
 * results); teardown and exit follow.
 */
export function setInterruptHook(hook: typeof interruptHook): void {
  interruptHook = hook;
}

function installHandlers(): void {
  if (installed) return;
  installed = true;
  // Never disposed: the process ends on the signal, after the teardown.
  interruptScope({
    signals: STOP_SIGNALS,
    onSignal: (signal) => {
      const code = exitForSignal(signal);
      const finish = () => {
        const errors = runTeardown();
        for (const e of errors) process.stderr.write(`tracefs-regress: cleanup: ${e}\n`);
        process.exit(code);
      };
      // A hung hook must not keep the run alive: teardown happens within a few seconds regardless.
      const timer = setTimeout(finish, 5000);
      Promise.resolve(interruptHook?.(signal))
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(timer);
          finish();
        });
    },
  });
  process.on('exit', () => {
    runTeardown();
  });
}
