// SPDX-License-Identifier: GPL-2.0-only
// id: race-stale-dirfd
// Directory fds held on the event and group dirs from many generations: once
// a generation is removed its dirfds must reach nothing, even while the same
// name exists again.
import { probeRaceScenario } from './race-kit.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = probeRaceScenario(
  {
    id: 'race-stale-dirfd',
    title: 'dirfds from removed generations reach nothing under concurrency',
    description:
      'Each worker holds O_PATH and O_DIRECTORY fds on the event dir and the group dir from up to 16 generations (the ' +
      'first one for the whole run) and openat/fstatat the event files through them while the event is removed and ' +
      "re-created. Through a dirfd of generation g, every op that starts after g's removal returned must give ENOENT.",
    requires: [],
    references: [
      '8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function (v6.8-rc3)',
      'kernel test robot: stress-ng getdent fault in eventfs_permission <- openat',
    ],
  },
  {
    weights: { openat: 3, fstatat: 3, stat: 1, heldWrite: 1 },
    heldDirfds: 16,
    dwellPresentUs: 20,
    dwellAbsentUs: 20,
  },
);
