// SPDX-License-Identifier: GPL-2.0-only
// A race config fitted to the state it runs in: a mutated program may run a
// race where the raced event has a sibling (its group dir then outlives each
// removal) or where an instance it was built with is gone. Seen on 6.18.44
// before this: 300 false stale-dirfd violations in 200 host programs.
import { describe, expect, it } from 'vitest';
import { fitRace, raceAction, racedKey, unsafeOnHost } from '../../../src/explore/race.js';
import { seededRng } from '../../../src/explore/rng.js';
import { world } from './fixtures.js';

const W = world({ instances: 1 });
const built = raceAction(W, seededRng(3), { slot: { g: 1, e: 2 }, scopes: ['', '{id}_i1'], groupStays: false });

describe('raceAction and fitRace', () => {
  it('builds a bounded, host-safe race on the slot, its group dir held as a stale dir', () => {
    const c = built.config;
    expect(racedKey(c)).toBe('{id}_g1/e2');
    expect(unsafeOnHost(c)).toBeUndefined();
    expect(c.threads).toBeGreaterThanOrEqual(2);
    expect(c.threads).toBeLessThanOrEqual(4);
    expect(c.dirs?.map((d) => d.path)).toEqual(['{root}/events/{id}_g1/e2', '{root}/events/{id}_g1']);
    expect(c.files?.some((f) => f.startsWith('{root}/instances/{id}_i1/'))).toBe(true);
  });

  it('drops the group dir when a sibling keeps the group, and files of instances that are gone', () => {
    const c = fitRace(built.config, { groupStays: true, liveInstances: new Set() });
    expect(c.dirs?.map((d) => d.path)).toEqual(['{root}/events/{id}_g1/e2']);
    expect(c.files?.some((f) => f.includes('/instances/'))).toBe(false);
    expect(c.files?.length).toBe(W.files.length);
    // Nothing to fit: unchanged.
    expect(fitRace(built.config, { groupStays: false, liveInstances: new Set(['{id}_i1']) })).toEqual({
      ...built.config,
      files: built.config.files,
      dirs: built.config.dirs,
    });
  });
});
