// SPDX-License-Identifier: GPL-2.0-only
// Dynamic-event kinds and the probe handles scenarios work with.
import type { ProbeKind } from '../model.js';
import type { Result } from '../native/index.js';

/** A line to write to a tracefs control file (one write(2), O_WRONLY|O_APPEND). */
export interface ControlWrite {
  /** Absolute path of the control file (kprobe_events, uprobe_events, dynamic_events, synthetic_events). */
  file: string;
  line: string;
}

/** One dynamic event owned by this run. Paths are absolute. */
export interface Probe {
  readonly kind: ProbeKind;
  readonly group: string;
  readonly event: string;
  /** events/<group>/ under the top-level tracefs (or under an instance: see dirIn). */
  readonly groupDir: string;
  readonly eventDir: string;
  readonly create: ControlWrite;
  readonly remove: ControlWrite;
  /** events/<group>/<event>/ inside tracefs root `root` (the top level or an instance dir). */
  dirIn(root: string): string;
  /** Writes the create line; EEXIST etc. come back as data. */
  add(): Result<number>;
  /** Writes the removal line; EBUSY while enabled, ENOENT when gone. */
  delete(): Result<number>;
  /** True while this run believes the event exists (it will be removed at cleanup). */
  readonly live: boolean;
  /**
   * For code that creates and removes the event by other means (the race
   * engine writes the same control lines itself): keeps `live` truthful, so
   * cleanup still removes an event left behind.
   */
  markLive(live: boolean): void;
}
