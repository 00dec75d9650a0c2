// SPDX-License-Identifier: GPL-2.0-only
// id: race-reopen
// Readers open, read and stat the event's files while it is created and
// removed in a loop: once a removal has returned, nothing may open; while
// the event exists, nothing may vanish.
import { probeRaceScenario } from './race-kit.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = probeRaceScenario(
  {
    id: 'race-reopen',
    title: 'readers racing removal never reach a removed event',
    description:
      'Worker threads open+read+close and stat every file of the event while a controller creates and removes it as ' +
      'fast as it can. An op inside an absent generation must give ENOENT (success or ENODEV means a stale dentry ' +
      'reached the event); an op inside a present generation must not give ENOENT. Every 16th cycle the controller ' +
      'enables the event and its removal must give EBUSY.',
    requires: [],
    references: [
      '8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function (v6.8-rc3; 6.6.18, 6.7.6)',
      '43aa6f97c2d0 eventfs: Get rid of dentry pointers without refcounts',
      'LKML 2024-01 "eventfs: Have inodes have unique inode numbers" (Torvalds, Rostedt)',
    ],
  },
  {
    weights: { openRead: 4, stat: 2 },
    dwellPresentUs: 50,
    dwellAbsentUs: 50,
    busyCheckEvery: 16,
  },
);
