// SPDX-License-Identifier: GPL-2.0-only
// id: perm-unprivileged
// A process without root's uid, gid or groups must not reach tracefs's
// control files: it cannot create or remove a probe, nor enable one, and what
// it gets is an errno (recorded per step), never a half-done write.
import { C, isErr, readText } from '../native/index.js';
import { DENIED, UNPRIVILEGED_ID, privilegeLeak, runUnprivileged, type ChildStep } from './perm-child.js';
import type { Scenario } from './types.js';

export const scenario: Scenario = {
  id: 'perm-unprivileged',
  title: 'an unprivileged process cannot create, remove or enable a probe',
  description:
    `A child running as uid/gid ${UNPRIVILEGED_ID} (no supplementary groups) appends a create line to the probe's ` +
    'control file (and to dynamic_events), then, once root created the event, its removal line and "1" to the ' +
    "event's enable, each by path and through /proc/self/fd of an O_PATH fd root opened (past the 0700 root " +
    "dir, to the file's own mode check). Each write must be refused with EACCES or EPERM (the errno of each step is recorded), and " +
    'tracefs must show the state unchanged afterwards: no event after the create, the event still there after the ' +
    'removal, enable still 0.',
  requires: [],
  references: [
    'tracefs default mode 0700 and root-only control files (fs/tracefs/inode.c, TRACEFS_DEFAULT_MODE)',
    'ftracetest test.d/ (every test needs root)',
  ],
  async run(ctx) {
    const { sys } = ctx;
    const exp = ctx.checks();
    const ev = ctx.newProbe();
    const root = ctx.tracefs.root;
    // dynamic_events takes the same p:/r: lines as kprobe_events and uprobe_events.
    const viaDyn = ctx.tracefs.features.has('dynamic_events') && (ctx.kind === 'kprobe' || ctx.kind === 'uprobe');
    const dyn = viaDyn ? `${root}/dynamic_events` : undefined;
    const child = (steps: ChildStep[], pathFd?: number) => {
      const r = runUnprivileged(steps, pathFd === undefined ? {} : { pathFd });
      const leak = privilegeLeak(r, UNPRIVILEGED_ID);
      if (leak) throw new Error(`the child is not unprivileged: ${leak}`);
      for (const x of r.results) {
        ctx.log(`uid ${UNPRIVILEGED_ID} ${x.op} ${x.path}: ${x.syscall ? `${x.syscall} ` : ''}${x.got}`);
      }
      return r.results;
    };
    const denied = (what: string, r: { op: string; path: string; syscall?: string; got: string }) => {
      const how = r.op === 'append-via-fd' ? `${r.path} via /proc/self/fd (O_PATH)` : r.path;
      exp.note(`uid ${UNPRIVILEGED_ID}: ${what} to ${how} -> ${r.syscall ? `${r.syscall}: ` : ''}${r.got}`);
      exp.that(
        (DENIED as readonly string[]).includes(r.got),
        `${what} as uid ${UNPRIVILEGED_ID}`,
        r.path,
        DENIED.join(' or '),
        r.syscall && r.got !== 'success' ? `${r.syscall}: ${r.got}` : r.got,
      );
    };

    // 0. What the child can see of the mount itself (recorded, not judged: a mode= option may open it).
    const [seeRoot] = child([{ op: 'search', path: root }]);
    const rootStat = sys.stat(root);
    const rootMode = isErr(rootStat) ? rootStat.code : `mode ${(rootStat.mode & 0o7777).toString(8).padStart(4, '0')}`;
    exp.note(`uid ${UNPRIVILEGED_ID}: search permission on ${root} (${rootMode}) -> ${seeRoot!.got}`);

    // The same write through an O_PATH fd of root's: past the 0700 root dir, to the file's own permission check.
    const viaFd = (path: string, data: string, what: string) => {
      const fd = exp.must(`open ${path} (O_PATH)`, sys.open(path, C.O_PATH));
      try {
        child([{ op: 'append-via-fd', path, data }], fd).forEach((r) => denied(what, r));
      } finally {
        sys.close(fd);
      }
    };

    // 1. Create: refused, and no event appears.
    const createSteps: ChildStep[] = [{ op: 'append', path: ev.create.file, data: ev.create.line }];
    if (dyn && dyn !== ev.create.file) createSteps.push({ op: 'append', path: dyn, data: ev.create.line });
    child(createSteps).forEach((r) => denied(`append "${ev.create.line}"`, r));
    viaFd(ev.create.file, ev.create.line, `append "${ev.create.line}"`);
    exp.fails('stat (after the refused creates)', ev.eventDir, sys.stat(ev.eventDir), 'ENOENT');

    // 2. Remove: refused, and the event stays.
    exp.must(`create ${ev.create.line}`, ev.add());
    const removeSteps: ChildStep[] = [{ op: 'append', path: ev.remove.file, data: ev.remove.line }];
    if (dyn && dyn !== ev.remove.file) removeSteps.push({ op: 'append', path: dyn, data: ev.remove.line });
    child(removeSteps).forEach((r) => denied(`append "${ev.remove.line}"`, r));
    viaFd(ev.remove.file, ev.remove.line, `append "${ev.remove.line}"`);
    exp.succeeds('stat (after the refused removals)', `${ev.eventDir}/enable`, sys.stat(`${ev.eventDir}/enable`));

    // 3. Enable: refused, and enable still reads 0.
    const [en] = child([{ op: 'append', path: `${ev.eventDir}/enable`, data: '1' }]);
    denied('write "1"', en!);
    viaFd(`${ev.eventDir}/enable`, '1', 'write "1"');
    const state = readText(sys, `${ev.eventDir}/enable`);
    if (exp.succeeds('read (after the refused enable)', `${ev.eventDir}/enable`, state)) {
      exp.that(state.trim() === '0', 'read (after the refused enable)', `${ev.eventDir}/enable`, '0', state.trim());
    }
    exp.succeeds(`write "${ev.remove.line}" (as root)`, ev.remove.file, ev.delete());
    exp.fails('stat (after the removal as root)', ev.eventDir, sys.stat(ev.eventDir), 'ENOENT');
    return exp.outcome();
  },
};
