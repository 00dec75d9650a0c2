// SPDX-License-Identifier: GPL-2.0-only
// id: held-dirfd-enoent
// A directory fd held across removal must not be a way back in: openat and
// fstatat through it find nothing, also once the same name exists again.
import { C, isErr, type Sys } from '../native/index.js';
import { Checks } from './checks.js';
import { eventFiles, warm } from './event-files.js';
import type { Scenario } from './types.js';

interface Held {
  label: string;
  fd: number;
  /** Path of the event's files relative to the held dir. */
  prefix: string;
  listable: boolean;
}

export const scenario: Scenario = {
  id: 'held-dirfd-enoent',
  title: 'directory fds held on a removed event or group reach nothing',
  description:
    'Hold O_PATH and O_DIRECTORY fds on the event dir and the group dir, remove the event: openat and fstatat of each ' +
    'file through them give ENOENT, getdents64 lists only . and .. (EINVAL accepted), and after the same name is ' +
    'created again the old fds still reach nothing.',
  requires: [],
  references: [
    '8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function (v6.8-rc3)',
    'kernel test robot: stress-ng getdent fault in eventfs_permission <- openat',
  ],
  async run(ctx) {
    const { sys } = ctx;
    const exp = ctx.checks();
    const ev = ctx.newProbe();
    exp.must(`create ${ev.create.line}`, ev.add());
    const files = eventFiles(sys, exp, ev.eventDir);
    const held: Held[] = [];
    const dirs: [string, string, string][] = [['event dir', ev.eventDir, '']];
    // The synthetic group is shared with others: it stays, so its fd is not stale.
    if (ctx.kind !== 'synthetic') dirs.push(['group dir', ev.groupDir, `${ev.event}/`]);
    for (const [label, dir, prefix] of dirs) {
      for (const [how, flags] of [
        ['O_PATH', C.O_PATH],
        ['O_DIRECTORY', C.O_RDONLY | C.O_DIRECTORY],
      ] as const) {
        const fd = ctx.hold(exp.must(`open ${dir} ${how}`, sys.open(dir, flags | C.O_DIRECTORY)));
        held.push({ label: `${label} ${how}`, fd, prefix, listable: how === 'O_DIRECTORY' });
      }
    }
    warm(sys, ev.eventDir, files);
    for (const h of held) for (const f of files) sys.fstatat(h.fd, h.prefix + f);

    exp.succeeds(`write "${ev.remove.line}"`, ev.remove.file, ev.delete());
    checkStale(sys, exp, held, files, 'after removal');

    exp.must(`re-create ${ev.create.line}`, ev.add());
    warm(sys, ev.eventDir, files, 1);
    checkStale(sys, exp, held, files, 'after re-creation');
    exp.succeeds('stat (the new event)', `${ev.eventDir}/enable`, sys.stat(`${ev.eventDir}/enable`));
    return exp.outcome();
  },
};

function checkStale(sys: Sys, exp: Checks, held: Held[], files: string[], when: string): void {
  for (const h of held) {
    for (const f of files) {
      const rel = h.prefix + f;
      const where = `<${h.label} fd>/${rel} (${when})`;
      exp.fails('fstatat', where, sys.fstatat(h.fd, rel), 'ENOENT');
      const fd = sys.openat(h.fd, rel, C.O_RDONLY);
      exp.fails('openat(O_RDONLY)', where, fd, 'ENOENT');
      if (!isErr(fd)) sys.close(fd);
    }
    if (h.listable) {
      sys.lseek(h.fd, 0, C.SEEK_SET);
      const names: string[] = [];
      let r = sys.getdents64(h.fd);
      while (!isErr(r) && r.length > 0) {
        names.push(...r.map((d) => d.name));
        r = sys.getdents64(h.fd);
      }
      const extra = names.filter((n) => n !== '.' && n !== '..');
      const ok = extra.length === 0 && (!isErr(r) || r.code === 'EINVAL' || r.code === 'ENOENT');
      exp.that(
        ok,
        'getdents64',
        `<${h.label} fd> (${when})`,
        'only . and .. (or EINVAL)',
        extra.length ? `lists ${extra.join(' ')}` : isErr(r) ? r.code : 'ok',
      );
    }
  }
}
