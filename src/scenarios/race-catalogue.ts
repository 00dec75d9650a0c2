// SPDX-License-Identifier: GPL-2.0-only
// The race scenarios, in run order, for the catalogue (catalogue.ts) to
// append after the single-threaded removal scenarios.
import type { Scenario } from './types.js';
import { scenario as raceReopen } from './race-reopen.js';
import { scenario as raceEnableWrite } from './race-enable-write.js';
import { scenario as raceStaleDirfd } from './race-stale-dirfd.js';
import { scenario as raceGetdents } from './race-getdents.js';
import { scenario as raceGetdentsSibling } from './race-getdents-sibling.js';
import { scenario as raceDropCaches } from './race-drop-caches.js';
import { scenario as raceInstances } from './race-instances.js';
import { scenario as raceRecreate } from './race-recreate.js';

export const RACE_SCENARIOS: readonly Scenario[] = [
  raceReopen,
  raceEnableWrite,
  raceStaleDirfd,
  raceGetdents,
  raceGetdentsSibling,
  raceDropCaches,
  raceInstances,
  raceRecreate,
];
