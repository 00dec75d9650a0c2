// SPDX-License-Identifier: GPL-2.0-only
// Every scenario, in run order: single-threaded removal checks first (fast,
// exact), then the races. One file per scenario; this list is the registry.
import type { Scenario } from './types.js';
import { scenario as removedFilesEnoent } from './removed-files-enoent.js';
import { scenario as heldDirfdEnoent } from './held-dirfd-enoent.js';
import { scenario as cwdInsideRemoved } from './cwd-inside-removed.js';
import { scenario as fdAcrossRemoval } from './fd-across-removal.js';
import { scenario as enabledRemovalEbusy } from './enabled-removal-ebusy.js';
import { scenario as recreateFresh } from './recreate-fresh.js';
import { scenario as instanceFiles } from './instance-files.js';
import { scenario as permUnprivileged } from './perm-unprivileged.js';
import { scenario as permChmodRemoved } from './perm-chmod-removed.js';
import { scenario as permRemountGid } from './perm-remount-gid.js';
import { RACE_SCENARIOS } from './race-catalogue.js';

export const CATALOGUE: readonly Scenario[] = [
  removedFilesEnoent,
  heldDirfdEnoent,
  cwdInsideRemoved,
  fdAcrossRemoval,
  enabledRemovalEbusy,
  recreateFresh,
  instanceFiles,
  permUnprivileged,
  permChmodRemoved,
  permRemountGid,
  ...RACE_SCENARIOS,
];

/** A scenario's one-paragraph description (the lkml mail quotes it). */
export const describeScenario = (id: string): string | undefined => CATALOGUE.find((s) => s.id === id)?.description;
