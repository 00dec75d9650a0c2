// SPDX-License-Identifier: GPL-2.0-only
// id: removed-files-enoent
// The core of the January 2024 report: after `-:group/event`, every file of
// the event is gone, even when its dentries were hot in the dcache.
import { listDir, isErr } from '../native/index.js';
import { eventFiles, expectGone, warm } from './event-files.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = {
  id: 'removed-files-enoent',
  title: 'files of a removed event give ENOENT, even with a warm dcache',
  description:
    'Create an event, stat and open each of its files several times so their dentries are cached, remove it, then ' +
    'stat, open (read and write) and access every file: each must give ENOENT. The group dir stays while a sibling ' +
    'event remains and is gone once its last event is removed.',
  requires: [],
  references: [
    '8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function (v6.8-rc3)',
    '43aa6f97c2d0 eventfs: Get rid of dentry pointers without refcounts (v6.8-rc3)',
    'LKML Jan 2024: "eventfs: Have inodes have unique inode numbers" (Torvalds, Rostedt)',
  ],
  async run(ctx) {
    const { sys } = ctx;
    const exp = ctx.checks();
    const ev = ctx.newProbe();
    const sibling = ctx.newProbe();
    exp.must(`create ${ev.create.line}`, ev.add());
    exp.must(`create ${sibling.create.line}`, sibling.add());
    const files = eventFiles(sys, exp, ev.eventDir);
    warm(sys, ev.eventDir, files);

    exp.succeeds(`write "${ev.remove.line}"`, ev.remove.file, ev.delete());
    for (const f of files) expectGone(sys, exp, `${ev.eventDir}/${f}`);
    expectGone(sys, exp, ev.eventDir);

    // The synthetic group is shared with every other synthetic event on the machine.
    if (ctx.kind === 'synthetic') return exp.outcome();
    exp.succeeds('stat (group with a sibling left)', ev.groupDir, sys.stat(ev.groupDir));
    const listed = listDir(sys, ev.groupDir);
    if (exp.succeeds('getdents64', ev.groupDir, listed)) {
      exp.that(!listed.includes(ev.event), 'getdents64', ev.groupDir, `no ${ev.event}`, `lists ${ev.event}`);
      exp.that(
        listed.includes(sibling.event),
        'getdents64',
        ev.groupDir,
        `lists ${sibling.event}`,
        listed.join(' ') || '(empty)',
      );
    }
    warm(sys, sibling.eventDir, files, 1);
    exp.succeeds(`write "${sibling.remove.line}"`, sibling.remove.file, sibling.delete());
    expectGone(sys, exp, `${sibling.eventDir}/enable`);
    const g = sys.stat(ev.groupDir);
    exp.fails('stat (group after its last event)', ev.groupDir, g, 'ENOENT');
    if (!isErr(g)) exp.note('group dir outlived its last event');
    return exp.outcome();
  },
};
