// SPDX-License-Identifier: GPL-2.0-only
// id: recreate-fresh
// The same name created again is a new event: complete, usable, and out of
// reach of anything held from the old one. (With the d_revalidate fix undone,
// the new event's enable path resolved to the dead file: ENODEV.)
import { C, listDir, readText, isErr } from '../native/index.js';
import { createWarm, REQUIRED_FILES } from './event-files.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = {
  id: 'recreate-fresh',
  title: 'a re-created event lists and opens completely; stale fds never change it',
  description:
    'Create, warm, hold fds on the old enable and the old event dir, remove, create the same name again: the new ' +
    'directory lists every file and each opens and reads; writing 1 through the old enable fd gives ENODEV and ' +
    'leaves the new event disabled.',
  requires: [],
  references: [
    '8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function (v6.8-rc3)',
    '43aa6f97c2d0 eventfs: Get rid of dentry pointers without refcounts (v6.8-rc3)',
  ],
  async run(ctx) {
    const { sys } = ctx;
    const exp = ctx.checks();
    const ev = ctx.newProbe();
    createWarm(sys, exp, ev);
    const enable = `${ev.eventDir}/enable`;
    const oldEnable = ctx.hold(exp.must(`open ${enable}`, sys.open(enable, C.O_RDWR)));
    ctx.hold(exp.must(`open ${ev.eventDir}`, sys.open(ev.eventDir, C.O_RDONLY | C.O_DIRECTORY)));

    exp.succeeds(`write "${ev.remove.line}"`, ev.remove.file, ev.delete());
    exp.succeeds(`re-create ${ev.create.line}`, ev.remove.file, ev.add());

    const listed = listDir(sys, ev.eventDir);
    if (exp.succeeds('getdents64 (new event)', ev.eventDir, listed)) {
      const missing = REQUIRED_FILES.filter((f) => !listed.includes(f));
      exp.that(
        missing.length === 0,
        'getdents64 (new event)',
        ev.eventDir,
        `lists ${REQUIRED_FILES.join(' ')}`,
        `missing ${missing.join(' ')}`,
      );
      for (const f of listed) {
        const p = `${ev.eventDir}/${f}`;
        const fd = sys.open(p, C.O_RDONLY);
        if (exp.succeeds('open (new event)', p, fd)) {
          exp.succeeds('read (new event)', p, sys.read(fd, 4096));
          sys.close(fd);
        }
      }
    }
    exp.fails('write "1" through the old enable fd', enable, sys.pwrite(oldEnable, '1', 0), 'ENODEV');
    const state = readText(sys, enable);
    exp.that(
      !isErr(state) && state.trim() === '0',
      'read (new event after stale write)',
      enable,
      '0',
      isErr(state) ? state.code : JSON.stringify(state.trim()),
    );
    return exp.outcome();
  },
};
