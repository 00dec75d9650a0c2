// The one tap on the syscall gateway: `run --repro-dir` records a scenario's
// native calls through it (src/repro/record.ts). Unset, addon.ts hands out the
// addon's own functions untouched.

/** Sees each call made through `native`, after it returned. */
export type CallHook = (name: string, args: readonly unknown[], result: unknown) => void;

let current: CallHook | undefined;

export function setCallHook(hook: CallHook | undefined): void {
  current = hook;
}

export function callHook(): CallHook | undefined {
  return current;
}
