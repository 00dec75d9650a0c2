// SPDX-License-Identifier: GPL-2.0-only
// Builds race actions from the probe lifecycle's ControlWrite lines, so a
// scenario never spells control-file syntax itself.
import { C } from '../native/index.js';
import type { ControlWrite } from '../probes/types.js';
import type { RaceAction } from './types.js';

/** Writes `0` to an enable file: the onBusy step that lets a removal proceed. */
export function disableAction(enablePath: string): RaceAction {
  return { kind: 'write', path: enablePath, line: '0', flags: C.O_WRONLY };
}

/**
 * A control-file write (O_WRONLY|O_APPEND, one definition per write, never
 * O_TRUNC). The fd stays open for the run: reopening uprobe_events for every
 * cycle would measure open(2), not the removal race.
 */
export function controlAction(w: ControlWrite, onBusy?: RaceAction[]): RaceAction {
  return {
    kind: 'write',
    path: w.file,
    line: w.line,
    flags: C.O_WRONLY | C.O_APPEND,
    keepOpen: true,
    ...(onBusy?.length ? { onBusy } : {}),
  };
}

export function mkdirAction(path: string): RaceAction {
  return { kind: 'mkdir', path };
}

/** rmdir of an instance gives EBUSY while one of its files is open: retry. */
export function rmdirAction(path: string, onBusy: RaceAction[] = []): RaceAction {
  return { kind: 'rmdir', path, onBusy };
}
