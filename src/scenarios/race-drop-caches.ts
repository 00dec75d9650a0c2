// SPDX-License-Identifier: GPL-2.0-only
// id: race-drop-caches
// Dentry reclaim during the race: drop_caches frees unused dentries, so
// lookups re-create them while the event comes and goes. An existing file
// must never vanish (negative dentry) and a removed one never come back.
import { probeRaceScenario } from './race-kit.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = probeRaceScenario(
  {
    id: 'race-drop-caches',
    title: 'lookups racing removal and dentry reclaim keep their answers',
    description:
      'The op mix (open+read, stat, openat/fstatat through held dirfds, getdents64) runs while the controller creates ' +
      'and removes the event, writing 6 to /proc/sys/vm/drop_caches every 8 cycles and from its own thread every ' +
      '20 ms (2 frees dentries and inodes; 4 keeps dmesg quiet). Same rules as race-reopen.',
    requires: ['drop_caches'],
    references: [
      'LKML 2024-01 "eventfs: Have inodes have unique inode numbers": a negative dentry made lookups of an existing file give ENOENT',
      '43aa6f97c2d0 eventfs: Get rid of dentry pointers without refcounts',
    ],
  },
  {
    weights: { openRead: 2, stat: 2, openat: 1, fstatat: 1, getdents: 1 },
    dropCachesEvery: 8,
    dropCachesIntervalMs: 20,
    dwellPresentUs: 50,
    dwellAbsentUs: 50,
  },
);
