// SPDX-License-Identifier: GPL-2.0-only
// id: race-getdents-sibling
// race-getdents with a second event that keeps the group alive: the raced
// event is then the last entry of a list that outlives it, so a listing that
// stands on it at its removal must step on to the list head. Without the
// sibling the group goes away too and eventfs_iterate stops at the freed
// group before it could step past the removed entry.
import { probeRaceScenario } from './race-kit.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = probeRaceScenario(
  {
    id: 'race-getdents-sibling',
    title: 'getdents64 of a group that outlives the raced event lists only what exists',
    description:
      'As race-getdents, with no dwell and a sibling event created first in the same group for the whole race: the group dir and ' +
      "its child list stay while the raced event, the list's last entry, is removed and re-created under listings " +
      'of the group (the `tree events/kprobes/` over many probes that found CVE-2024-46785). A listing done entirely ' +
      'after the removal returned must not contain the event; the sibling must never vanish.',
    requires: [],
    // The sibling keeps *our* group alive: synthetic events share the kernel's group 'synthetic', which never goes away.
    flags: ['own-group'],
    references: ['CVE-2024-46785 eventfs: Use list_del_rcu() for SRCU protected list variable (6.6.51, 6.10.10, 6.11)'],
  },
  {
    weights: { getdents: 4, stat: 1 },
    sibling: true,
    // No dwell, as in race-recreate: in a TCG guest a 50 us sleep lasts
    // milliseconds and held race-getdents to ~120 cycles/s, where back-to-back
    // create/remove makes thousands; each cycle is one more removal for a
    // listing to be standing on.
  },
);
