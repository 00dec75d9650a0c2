// SPDX-License-Identifier: GPL-2.0-only
// The one retry policy of a boot, over planted failures: which failure earns
// another try, how many, and what changes on it.
import { describe, expect, it } from 'vitest';
import { nextTry, RETRY_POLICY, retrying, type RetryChange, type RetryFailure } from '../../../src/vm/retry.js';

/** Runs the policy over a planted sequence of outcomes; returns the changes asked for and the final outcome. */
async function over(planted: (RetryFailure | 'ok' | 'kernel-oops')[], policy = RETRY_POLICY) {
  const changes: (RetryChange | undefined)[] = [];
  const heard: RetryFailure[] = [];
  const r = await retrying(
    async (change) => {
      changes.push(change);
      return planted[changes.length - 1] ?? 'ok';
    },
    (o) => (o === 'ok' || o === 'kernel-oops' ? undefined : o),
    (_o, rule) => heard.push(rule.failure),
    policy,
  );
  return { changes, heard, result: r.result, discarded: r.discarded.map((d) => d.failure) };
}

describe('the retry policy (vm/retry.ts)', () => {
  it('is one table: each emulator or host failure once more, with its change', () => {
    expect(RETRY_POLICY).toEqual([
      { failure: 'kvm-trial-failed', retries: 1, change: 'accel-tcg' },
      { failure: 'emulator-int3', retries: 1, change: 'boot-again' },
      { failure: 'boot-stall', retries: 1, change: 'boot-again-in-time-left' },
    ]);
  });

  it('tries once more after each planted failure, with the change the table names', async () => {
    expect(await over(['kvm-trial-failed'])).toEqual({
      changes: [undefined, 'accel-tcg'],
      heard: ['kvm-trial-failed'],
      result: 'ok',
      discarded: ['kvm-trial-failed'],
    });
    expect((await over(['emulator-int3'])).changes).toEqual([undefined, 'boot-again']);
    expect((await over(['boot-stall'])).changes).toEqual([undefined, 'boot-again-in-time-left']);
  });

  it('stops when the retries are spent: the second failure of a kind stands', async () => {
    expect(await over(['emulator-int3', 'emulator-int3', 'ok'])).toEqual({
      changes: [undefined, 'boot-again'],
      heard: ['emulator-int3'],
      result: 'emulator-int3',
      discarded: ['emulator-int3'],
    });
    expect((await over(['boot-stall', 'boot-stall'])).result).toBe('boot-stall');
  });

  it('counts each failure on its own: a stall, then an int3, each get their retry', async () => {
    expect((await over(['boot-stall', 'emulator-int3', 'ok'])).changes).toEqual([
      undefined,
      'boot-again-in-time-left',
      'boot-again',
    ]);
  });

  it("never retries the kernel's own verdict, or a failure the table does not name", async () => {
    expect(await over(['kernel-oops'])).toEqual({
      changes: [undefined],
      heard: [],
      result: 'kernel-oops',
      discarded: [],
    });
    const noInt3 = RETRY_POLICY.filter((r) => r.failure !== 'emulator-int3');
    expect((await over(['emulator-int3'], noInt3)).changes).toEqual([undefined]);
    const none = RETRY_POLICY.map((r) => ({ ...r, retries: 0 }));
    expect((await over(['boot-stall'], none)).result).toBe('boot-stall');
    expect(nextTry(undefined, 1)).toBeUndefined();
    expect(nextTry('boot-stall', 1)?.change).toBe('boot-again-in-time-left');
    expect(nextTry('boot-stall', 2)).toBeUndefined();
  });
});
