// SPDX-License-Identifier: GPL-2.0-only
// When a boot is tried again, in one table: a failure that is no verdict on
// the kernel under test (the host's KVM, QEMU's emulation, a loaded host's
// timers) earns a bounded number of further tries, each with a stated change.
// Every other outcome is final. The call sites only say which failure they
// saw (retrying()); the policy is this data.

/** Failures that are the emulator's or the host's, not the kernel's. */
export type RetryFailure =
  /** A short KVM trial boot did not report back: KVM exists but cannot run this kernel here (accel.ts). */
  | 'kvm-trial-failed'
  /** `Oops: int3` under multi-threaded TCG: QEMU's text-patching fault (outcome.ts emulatorInt3). */
  | 'emulator-int3'
  /** The guest had not started its command BOOT_STALL_MS after QEMU started (boot.ts). */
  | 'boot-stall';

/** What the next try does differently. */
export type RetryChange =
  /** TCG instead of KVM, for this boot and every later one. */
  | 'accel-tcg'
  /** The same boot again; the failed one is discarded, and the report says so. */
  | 'boot-again'
  /** The same boot again with what is left of --timeout. */
  | 'boot-again-in-time-left';

export interface RetryRule {
  failure: RetryFailure;
  /** Further tries after the first one failed this way. */
  retries: number;
  change: RetryChange;
}

export const RETRY_POLICY: readonly RetryRule[] = [
  { failure: 'kvm-trial-failed', retries: 1, change: 'accel-tcg' },
  { failure: 'emulator-int3', retries: 1, change: 'boot-again' },
  { failure: 'boot-stall', retries: 1, change: 'boot-again-in-time-left' },
];

/** The rule for another try after `tries` tries, the last of which failed with `failure`; undefined: that outcome stands. */
export function nextTry(
  failure: RetryFailure | undefined,
  tries: number,
  policy: readonly RetryRule[] = RETRY_POLICY,
): RetryRule | undefined {
  const rule = failure && policy.find((r) => r.failure === failure);
  return rule && tries <= rule.retries ? rule : undefined;
}

/** The last try's result, and the tries before it that the policy discarded (oldest first). */
export interface Retried<T> {
  result: T;
  discarded: { result: T; failure: RetryFailure }[];
}

/**
 * Tries `attempt` (given the change of the rule that asked for it; none the
 * first time) until `failureOf` sees no retryable failure or the policy says
 * no more. `onRetry` hears each retry before it starts.
 */
export async function retrying<T>(
  attempt: (change: RetryChange | undefined) => Promise<T>,
  failureOf: (result: T) => RetryFailure | undefined,
  onRetry: (result: T, rule: RetryRule) => void = () => {},
  policy: readonly RetryRule[] = RETRY_POLICY,
): Promise<Retried<T>> {
  const discarded: Retried<T>['discarded'] = [];
  let result = await attempt(undefined);
  for (;;) {
    const failure = failureOf(result);
    const rule = nextTry(failure, discarded.filter((d) => d.failure === failure).length + 1, policy);
    if (!rule) return { result, discarded };
    discarded.push({ result, failure: rule.failure });
    onRetry(result, rule);
    result = await attempt(rule.change);
  }
}
