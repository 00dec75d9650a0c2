// SPDX-License-Identifier: GPL-2.0-only
// Disabling an event before its removal: an enabled event refuses it (EBUSY).
import { native, writeOnce, type Result } from '../native/index.js';

/** Writes 0 to an event's enable file; a file already gone (ENOENT) comes back as data like any error. */
export function disableEvent(enablePath: string): Result<number> {
  return writeOnce(native, enablePath, '0');
}
