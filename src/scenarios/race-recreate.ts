// SPDX-License-Identifier: GPL-2.0-only
// id: race-recreate
// The same name removed and re-created as fast as possible, with dirfds and
// enable fds kept from every generation: a new generation must never be
// reachable through anything opened in an old one.
import { probeRaceScenario } from './race-kit.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = probeRaceScenario(
  {
    id: 'race-recreate',
    title: 'fast re-creation of the same name keeps old generations unreachable',
    description:
      'No dwell: the controller removes and re-creates the event back to back while workers run every op, hold dirfds ' +
      'and enable fds from up to 32 generations (the first for the whole run), and write through them. Recreated ' +
      'events often get the same id, so generations are told apart by the counter, never by id.',
    requires: [],
    references: [
      '8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function',
      'CVE-2024-43891 tracing: Have format file honor EVENT_FILE_FL_FREED (6.6.49, 6.10.5)',
      'ftracetest: re-adding a removed name left its enable unreachable (ENODEV) on the d_revalidate mutant',
    ],
  },
  {
    weights: { openRead: 3, enableWrite: 1, stat: 2, openat: 2, fstatat: 2, getdents: 1, heldWrite: 2 },
    heldDirfds: 32,
  },
);
