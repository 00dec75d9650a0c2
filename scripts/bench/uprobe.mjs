// SPDX-License-Identifier: GPL-2.0-only
// The benchmark's probe: a uprobe at the entry point of /bin/true in a group
// of our own (tfsr_<pid>_bench), written append-only, removed at the end.
// Its lines come from the library's builder (dist/, built by `npm ci`).
import fs from 'node:fs';
import { define } from '../../dist/probes/definitions.js';
import { targetFor } from '../../dist/probes/targets.js';

export const TRACEFS = '/sys/kernel/tracing';

export function benchProbe(tag = 'bench') {
  const group = `tfsr_${process.pid}_${tag}`;
  const event = 'ev';
  const def = define(group, event, targetFor('uprobe'));
  return {
    group,
    event,
    control: `${TRACEFS}/${def.file}`,
    createLine: def.createLine,
    removeLine: def.removeLine,
    eventDir: `${TRACEFS}/events/${group}/${event}`,
    groupDir: `${TRACEFS}/events/${group}`,
  };
}

/** Best effort: disable, then remove with one appended line. */
export function removeProbe(p) {
  try {
    fs.writeFileSync(`${p.eventDir}/enable`, '0');
  } catch {
    // not there
  }
  const fd = fs.openSync(p.control, fs.constants.O_WRONLY | fs.constants.O_APPEND);
  try {
    fs.writeSync(fd, p.removeLine);
  } catch {
    // already removed
  } finally {
    fs.closeSync(fd);
  }
}
