// id: cwd-inside-removed
// A process whose cwd is the event dir keeps a reference to the dentry; a
// relative lookup from there must not find the removed files.
import { native, C, isErr } from '../native/index.js';
import { Expect } from './expect.js';
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
    const exp = new Expect();
    const ev = ctx.newProbe();
    const files = createWarm(exp, ev);
    // Node resolves relative paths against its cached cwd: go back through an fd, not a path.
    const home = exp.must('open cwd', native.open('.', C.O_PATH | C.O_DIRECTORY));
    try {
      exp.must(`chdir ${ev.eventDir}`, native.chdir(ev.eventDir));
      warm('.', files);
      exp.succeeds(`write "${ev.remove.line}"`, ev.remove.file, ev.delete());
      check(exp, ev.event, 'after removal');
      const cwd = native.getcwd();
      if (!isErr(cwd)) exp.note(`getcwd() still answers ${cwd} after removal (a correct kernel gives ENOENT)`);
      exp.must(`re-create ${ev.create.line}`, ev.add());
      check(exp, ev.event, 'after re-creation');
    } finally {
      native.fchdir(home);
      native.close(home);
    }
    exp.succeeds(
      'stat (the new event, by absolute path)',
      `${ev.eventDir}/enable`,
      native.stat(`${ev.eventDir}/enable`),
    );
    return exp.outcome();
  },
};

function check(exp: Expect, event: string, when: string): void {
  for (const rel of ['enable', 'format', `../${event}/enable`]) {
    const where = `<cwd>/${rel} (${when})`;
    exp.fails('stat', where, native.stat(rel), 'ENOENT');
    const fd = native.open(rel, C.O_RDONLY);
    exp.fails('open(O_RDONLY)', where, fd, 'ENOENT');
    if (!isErr(fd)) native.close(fd);
  }
}
