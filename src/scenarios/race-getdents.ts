// SPDX-License-Identifier: GPL-2.0-only
// id: race-getdents
// Listing the group dir races lookups and removal (the `tree events/kprobes/`
// loop that found CVE-2024-46785): a removed event must not be listed, and
// every entry listed while the event exists must stat.
import { probeRaceScenario } from './race-kit.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = probeRaceScenario(
  {
    id: 'race-getdents',
    title: 'getdents64 of the group racing removal lists only what exists',
    description:
      'Workers getdents64 the group dir and stat every listed entry, plus stat the event files, while the event is ' +
      "created and removed. The event is its group's only one, so the group dir goes away with it (its sibling-kept " +
      'twin is race-getdents-sibling). A listing done entirely after the removal returned must not contain the event; ' +
      "an entry listed and stat'ed entirely while the event exists must not give ENOENT.",
    requires: [],
    references: [
      'CVE-2024-46785 eventfs: Use list_del_rcu() for SRCU protected list variable (6.6.51, 6.10.10, 6.11)',
      'kernel test robot: stress-ng getdent fault in eventfs_permission <- openat',
    ],
  },
  {
    weights: { getdents: 4, stat: 1 },
    dwellPresentUs: 50,
    dwellAbsentUs: 50,
  },
);
