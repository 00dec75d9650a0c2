// SPDX-License-Identifier: GPL-2.0-only
// id: perm-chmod-removed
// chmod/chown reach eventfs's saved attributes (eventfs_set_attr): after the
// event is removed, neither its paths nor an fd kept on them may change
// anything, and a re-created event starts from the defaults, not from what
// was set on the removed one.
import { C, isErr } from '../native/index.js';
import type { Scenario } from './types.js';

/** A group id nobody else uses for these files: set on our own event only. */
export const PLANTED_GID = 4243;
const PLANTED_MODE = 0o600;

const perms = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

/** [major, minor, patch] >= [major, minor]. */
export function atLeast(v: readonly [number, number, number], min: readonly [number, number]): boolean {
  return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

export const scenario: Scenario = {
  id: 'perm-chmod-removed',
  title: 'chmod/chown of a removed event: ENOENT by path, ENODEV through a held fd',
  description:
    `chmod ${perms(PLANTED_MODE)} and chown :${PLANTED_GID} on a live event's enable work and show in stat. ` +
    'Then, with fds held on enable, format and the event dir, the event is removed: chmod/chown of each path give ' +
    'ENOENT, fchmod/fchown through each held fd give ENODEV (on eventfs kernels, 6.6+; before, success is accepted and noted), also after the same name is created again, and the ' +
    "re-created event has the mode and group of a fresh one (its sibling), not the removed one's.",
  requires: [],
  references: [
    '8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function (v6.8-rc3)',
    'baa23a8d4360 tracefs: Reset permissions on remount if permissions are options (v6.9)',
    'eventfs_set_attr() refuses a freed eventfs_inode with ENODEV (fs/tracefs/event_inode.c)',
  ],
  async run(ctx) {
    const { sys } = ctx;
    const exp = ctx.checks();
    const ev = ctx.newProbe();
    const sibling = ctx.newProbe();
    exp.must(`create ${ev.create.line}`, ev.add());
    exp.must(`create ${sibling.create.line}`, sibling.add());
    const enable = `${ev.eventDir}/enable`;

    // 1. On a live event the calls work and stick (else the later errnos would prove nothing).
    if (exp.succeeds(`chmod ${perms(PLANTED_MODE)}`, enable, sys.chmod(enable, PLANTED_MODE))) {
      const st = sys.stat(enable);
      if (exp.succeeds('stat', enable, st)) {
        exp.that((st.mode & 0o7777) === PLANTED_MODE, 'stat after chmod', enable, perms(PLANTED_MODE), perms(st.mode));
      }
    }
    if (exp.succeeds(`chown -1:${PLANTED_GID}`, enable, sys.chown(enable, -1, PLANTED_GID))) {
      const st = sys.stat(enable);
      if (exp.succeeds('stat', enable, st)) {
        exp.that(st.gid === PLANTED_GID, 'stat after chown', enable, `gid ${PLANTED_GID}`, `gid ${st.gid}`);
      }
    }

    // 2. Held fds on files and the dir, then removal.
    const held = [
      [enable, C.O_RDONLY],
      [`${ev.eventDir}/format`, C.O_RDONLY],
      [ev.eventDir, C.O_RDONLY | C.O_DIRECTORY],
    ] as const;
    const fds = held.map(([p, flags]) => ({ path: p, fd: ctx.hold(exp.must(`open ${p}`, sys.open(p, flags))) }));
    exp.succeeds(`write "${ev.remove.line}"`, ev.remove.file, ev.delete());

    // ENODEV is eventfs's answer (eventfs_set_attr refuses a freed eventfs_inode, 6.6+). Before eventfs
    // an fd keeps a plain orphaned inode whose attributes change harmlessly (measured: 6.1.0-57 succeeds).
    const eventfs = atLeast(ctx.tracefs.kernel.numeric, [6, 6]);
    let preEventfsChanged = 0;
    const removedChecks = (when: string, withPaths: boolean) => {
      for (const { path, fd } of fds) {
        if (withPaths) {
          exp.fails(`chmod ${perms(PLANTED_MODE)} (${when})`, path, sys.chmod(path, PLANTED_MODE), 'ENOENT');
          exp.fails(`chown -1:${PLANTED_GID} (${when})`, path, sys.chown(path, -1, PLANTED_GID), 'ENOENT');
        }
        const viaFd = [
          [`fchmod ${perms(PLANTED_MODE)} (fd held, ${when})`, sys.fchmod(fd, PLANTED_MODE)],
          [`fchown -1:${PLANTED_GID} (fd held, ${when})`, sys.fchown(fd, -1, PLANTED_GID)],
        ] as const;
        for (const [op, r] of viaFd) {
          if (eventfs) exp.fails(op, path, r, 'ENODEV');
          else if (isErr(r)) exp.fails(op, path, r, 'ENODEV');
          else preEventfsChanged++;
        }
      }
    };
    removedChecks('event removed', true);

    // 3. The same name again: the old fds still reach nothing, the new files start fresh.
    exp.must(`re-create ${ev.create.line}`, ev.add());
    removedChecks('same name re-created', false);
    if (preEventfsChanged) {
      exp.note(
        `pre-eventfs kernel (${ctx.tracefs.kernel.release}): ${preEventfsChanged} fchmod/fchown through fds held on ` +
          'the removed event succeeded on its orphaned inodes (accepted before 6.6; ENODEV is required from 6.6 on)',
      );
    }
    const fresh = sys.stat(enable);
    const model = sys.stat(`${sibling.eventDir}/enable`);
    if (exp.succeeds('stat (re-created)', enable, fresh) && exp.succeeds('stat', `${sibling.eventDir}/enable`, model)) {
      exp.that(
        fresh.mode === model.mode && fresh.gid === model.gid && fresh.uid === model.uid,
        'stat (re-created event vs a fresh sibling)',
        enable,
        `mode ${perms(model.mode)} uid ${model.uid} gid ${model.gid} (as ${sibling.event})`,
        `mode ${perms(fresh.mode)} uid ${fresh.uid} gid ${fresh.gid}`,
      );
    }
    return exp.outcome();
  },
};
