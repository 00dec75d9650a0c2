// SPDX-License-Identifier: GPL-2.0-only
// id: fd-across-removal
// An fd opened before the removal must neither block it nor reach the freed
// event afterwards; closing it must be clean (CVE-2023-52879 crashed here).
import { C, isErr } from '../native/index.js';
import { createWarm } from './event-files.js';
import type { Scenario } from './types.js';

/** Files kept open across the removal, how, and what a write through them would try. */
const HELD: { file: string; flags: 'rw' | 'r'; write?: string }[] = [
  { file: 'enable', flags: 'rw', write: '1' },
  { file: 'filter', flags: 'rw', write: '0' },
  { file: 'trigger', flags: 'rw', write: 'traceoff' },
  { file: 'format', flags: 'r' },
];

export const scenario: Scenario = {
  id: 'fd-across-removal',
  title: 'fds held across removal give ENODEV, close cleanly, and the path is gone',
  description:
    'Open enable, filter and trigger read-write and format read-only, remove the event (an open fd does not block ' +
    'removal), then read and write through each fd: ENODEV; close is clean; reopening the path gives ENOENT.',
  requires: [],
  references: [
    'CVE-2023-52879: tracing: Have trace_event_file have ref counters (fixed 6.6.1 and stable)',
    'CVE-2024-43891: tracing: Have format file honor EVENT_FILE_FL_FREED',
  ],
  async run(ctx) {
    const { sys } = ctx;
    const exp = ctx.checks();
    const ev = ctx.newProbe();
    createWarm(sys, exp, ev);
    const fds = HELD.map((h) => {
      const path = `${ev.eventDir}/${h.file}`;
      return { ...h, path, fd: exp.must(`open ${path}`, sys.open(path, h.flags === 'rw' ? C.O_RDWR : C.O_RDONLY)) };
    });
    try {
      exp.succeeds(`write "${ev.remove.line}" (fds open)`, ev.remove.file, ev.delete());
      for (const h of fds) {
        exp.fails('pread (fd held across removal)', h.path, sys.pread(h.fd, 4096, 0), 'ENODEV');
        if (h.write)
          exp.fails(`write "${h.write}" (fd held across removal)`, h.path, sys.write(h.fd, h.write), 'ENODEV');
      }
    } finally {
      for (const h of fds) {
        const r = sys.close(h.fd);
        exp.succeeds('close (fd held across removal)', h.path, r);
      }
    }
    for (const h of fds) {
      const fd = sys.open(h.path, C.O_RDONLY);
      exp.fails('open (after close)', h.path, fd, 'ENOENT');
      if (!isErr(fd)) sys.close(fd);
    }
    return exp.outcome();
  },
};
