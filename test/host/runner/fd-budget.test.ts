// SPDX-License-Identifier: GPL-2.0-only
// The up-front fd check: the engine's own figure (raceFdsNeeded) per plan,
// the limit read from /proc/self/limits, and the refusal's numbers.
import { describe, expect, it } from 'vitest';
import { native } from '../../../src/native/index.js';
import { checkFdBudget, fdLimit, planConfig, raceFdNeed, RUN_FDS, openFds } from '../../../src/runner/fd-budget.js';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';
import { EnvironmentError } from '../../../src/errors.js';

const staleDirfd = CATALOGUE.filter((s) => s.id === 'race-stale-dirfd');

describe('the fd budget of a run', () => {
  it('reads the soft limit of open files', () => {
    const limits = [
      'Limit                     Soft Limit           Hard Limit           Units',
      'Max open files            64                   1024                 files',
    ].join('\n');
    expect(fdLimit(limits)).toBe(64);
    expect(fdLimit('Max open files            unlimited            unlimited            files\n')).toBeUndefined();
    expect(fdLimit('')).toBeUndefined();
  });

  it("is the engine's count: per thread, every held ring plus one op fd; the controller's kept file plus two", () => {
    // race-stale-dirfd: the event and group dirs and held-write on enable, 16 slots each.
    const cfg = planConfig(staleDirfd[0]!.racePlan!);
    expect(native.raceFdsNeeded(cfg, 1)).toBe(3 * 16 + 1 + 1 + 2);
    expect(native.raceFdsNeeded(cfg, 64)).toBe(64 * (3 * 16 + 1) + 1 + 2);
    // No held-write, default 8 slots, 2 dirs, no kept control file (an instance), a drop_caches thread.
    const inst = planConfig({ target: 'instance', weights: { openat: 1 }, dropCachesIntervalMs: 0 });
    expect(native.raceFdsNeeded(inst, 4)).toBe(4 * (2 * 8 + 1) + 0 + 2 + 1);
    // The run needs what its hungriest race needs.
    const each = CATALOGUE.filter((s) => s.racePlan).map((s) => native.raceFdsNeeded(planConfig(s.racePlan!), 2));
    expect(raceFdNeed(CATALOGUE, 2).need).toBe(Math.max(...each));
    expect(raceFdNeed(staleDirfd, 2).need).toBe(2 * (3 * 16 + 1) + 3);
  });

  it('refuses a limit too low with the fds needed and the threads that would fit', () => {
    const base = openFds() + RUN_FDS;
    const need = base + 64 * 49 + 3;
    const fit = Math.floor((1024 - base - 3) / 49);
    expect(() => checkFdBudget(staleDirfd, 64, 1024)).toThrow(EnvironmentError);
    expect(() => checkFdBudget(staleDirfd, 64, 1024)).toThrow(
      new RegExp(
        `needs? ${need} fds .* fd limit is 1024: raise the fd limit: ulimit -n ${need}, or lower --threads to ${fit}$`,
      ),
    );
    expect(() => checkFdBudget(staleDirfd, 2, 40)).toThrow(/ulimit -n \d+$/);
    expect(() => checkFdBudget(staleDirfd, 2, need)).not.toThrow();
    // No race selected, or no limit: nothing to check.
    expect(() =>
      checkFdBudget(
        CATALOGUE.filter((s) => !s.race),
        64,
        10,
      ),
    ).not.toThrow();
    expect(() => checkFdBudget(staleDirfd, 64, undefined)).not.toThrow();
  });
});
