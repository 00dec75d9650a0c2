// SPDX-License-Identifier: GPL-2.0-only
// id: cwd-inside-removed
// A process whose cwd is the event dir keeps a reference to the dentry; a
// relative lookup from there must not find the removed files.
import { C, isErr, type Sys } from '../native/index.js';
import { Checks } from './checks.js';
import { createWarm, warm } from './event-files.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = {
  id: 'cwd-inside-removed',
  title: 'relative lookups from a cwd inside the removed event dir give ENOENT',
  description:
    'chdir into the event dir, use its files, remove the event: open("enable"), stat("enable") and ' +
    'open("../<event>/enable") give ENOENT, and still do after the same name is created again.',
  requires: [],
  references: ['8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function (v6.8-rc3)'],
  async run(ctx) {
    const { sys } = ctx;
    const exp = ctx.checks();
    const ev = ctx.newProbe();
    const files = createWarm(sys, exp, ev);
    // Node resolves relative paths against its cached cwd: go back through an fd, not a path.
    const home = exp.must('open cwd', sys.open('.', C.O_PATH | C.O_DIRECTORY));
    try {
      exp.must(`chdir ${ev.eventDir}`, sys.chdir(ev.eventDir));
      warm(sys, '.', files);
      exp.succeeds(`write "${ev.remove.line}"`, ev.remove.file, ev.delete());
      check(sys, exp, ev.event, 'after removal');
      const cwd = sys.getcwd();
      if (!isErr(cwd)) exp.note(`getcwd() still answers ${cwd} after removal (a correct kernel gives ENOENT)`);
      exp.must(`re-create ${ev.create.line}`, ev.add());
      check(sys, exp, ev.event, 'after re-creation');
    } finally {
      sys.fchdir(home);
      sys.close(home);
    }
    exp.succeeds('stat (the new event, by absolute path)', `${ev.eventDir}/enable`, sys.stat(`${ev.eventDir}/enable`));
    return exp.outcome();
  },
};

function check(sys: Sys, exp: Checks, event: string, when: string): void {
  for (const rel of ['enable', 'format', `../${event}/enable`]) {
    const where = `<cwd>/${rel} (${when})`;
    exp.fails('stat', where, sys.stat(rel), 'ENOENT');
    const fd = sys.open(rel, C.O_RDONLY);
    exp.fails('open(O_RDONLY)', where, fd, 'ENOENT');
    if (!isErr(fd)) sys.close(fd);
  }
}
