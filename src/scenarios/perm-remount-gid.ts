// SPDX-License-Identifier: GPL-2.0-only
// id: perm-remount-gid
// The 6.6-6.9 eventfs ownership regressions: after `mount -o remount,gid=G`,
// eventfs directories and files (made on demand, after the remount too, and
// inside instances) must show the mount's gid, a chown made before the
// remount must be reset by it, and the original options must come back byte
// for byte. Needs --allow-remount: the whole machine sees the remount.
import { listDir, isErr, type Sys } from '../native/index.js';
import { GidRemount, gidOption, mountLineOf, type RestoreResult } from '../tracefs/remount.js';
import { Checks, SetupError } from './checks.js';
import { PLANTED_GID } from './perm-chmod-removed.js';
import type { Probe } from '../probes/types.js';
import type { Scenario, ScenarioContext } from './types.js';

/** The gid the scenario remounts with (another one when the mount already has it). */
export const REMOUNT_GID = 4242;

export const NEEDS_REMOUNT =
  'remounts tracefs, which every process using it sees until the options are restored: pass --allow-remount ' +
  "(on by default in the VM runner's guest)";

/** Every path whose gid must follow the mount: the dirs from `events/` down and each file of the event. */
function eventPaths(sys: Sys, eventsRoot: string, ev: Probe): string[] {
  const dir = ev.dirIn(eventsRoot);
  const files = listDir(sys, dir);
  const names = isErr(files) ? ['enable', 'format', 'id'] : files;
  return [`${eventsRoot}/events`, `${eventsRoot}/events/${ev.group}`, dir, ...names.map((f) => `${dir}/${f}`)];
}

export function expectGid(sys: Sys, exp: Checks, paths: readonly string[], gid: number, when: string): void {
  for (const p of paths) {
    const st = sys.stat(p);
    if (exp.succeeds(`stat (${when})`, p, st)) {
      exp.that(st.gid === gid, `gid (${when})`, p, `gid ${gid}`, `gid ${st.gid}`);
    }
  }
}

/** A failed restore remount is a FAIL; so is each tracefs line that is not byte for byte as before (both lines quoted). */
export function judgeRestore(exp: Checks, mountPoint: string, r: RestoreResult): void {
  exp.succeeds('mount(MS_REMOUNT) restoring the original options', mountPoint, r.mount);
  exp.checks++;
  for (const d of r.diffs) {
    exp.evidence.push({
      op: '/proc/self/mountinfo line after the restore',
      path: `${mountPoint} (mount id ${d.mountId})`,
      expected: d.before,
      got: d.after,
    });
  }
}

export const scenario: Scenario = {
  id: 'perm-remount-gid',
  title: 'after remount gid=G, eventfs dirs and files (new ones and in instances too) have gid G; restore is exact',
  description:
    `With an event A (its enable chown'ed to :${PLANTED_GID}) and an instance I made first, tracefs is remounted ` +
    `with gid=${REMOUNT_GID}, the rest of its options kept. Then an event B and an instance J are made. The tracefs ` +
    "root, events/, the group, A's and B's dirs and files, at the top level, in I and in J, must all have gid " +
    `${REMOUNT_GID} (the remount resets A's chown). The original options are then restored: every tracefs line of ` +
    '/proc/self/mountinfo must read byte for byte as before, and the event files follow the restored gid. ' +
    'Needs --allow-remount.',
  requires: [],
  references: [
    'baa23a8d4360 tracefs: Reset permissions on remount if permissions are options (v6.9, stable 6.6.y/6.8.y)',
    '6599bd5517be tracefs: Still use mount point as default permissions for instances (v6.9)',
    '340f0c7067a9 eventfs: Update all the eventfs_inodes from the events descriptor (v6.10, stable 6.6.y/6.9.y)',
    '27c046484382 tracefs: Update inode permissions on remount (v6.10)',
    '47311db8e8f3 tracefs: Only clobber mode/uid/gid on remount if asked (v6.0-rc5)',
    'eventfs: Fix file and directory uid and gid ownership; eventfs: Have event files and directories default to parent uid and gid (6.7, stable 6.6.y)',
  ],
  async run(ctx) {
    if (!ctx.options.allowRemount) return { status: 'UNSUPPORTED', reason: NEEDS_REMOUNT, evidence: [], checks: 0 };
    return remountScenario(ctx);
  },
};

async function remountScenario(ctx: ScenarioContext) {
  const { sys } = ctx;
  const exp = ctx.checks();
  const root = ctx.tracefs.root;
  const instances = ctx.tracefs.features.has('instances');
  const a = ctx.newProbe();
  exp.must(`create ${a.create.line}`, a.add());
  exp.must(`chown -1:${PLANTED_GID} ${a.eventDir}/enable`, sys.chown(`${a.eventDir}/enable`, -1, PLANTED_GID));
  const i = instances ? ctx.newInstance() : undefined;
  if (i) exp.must(`mkdir ${i}`, sys.mkdir(i, 0o755));
  const before = [...eventPaths(sys, root, a), ...(i ? eventPaths(sys, i, a) : [])];
  for (const p of before) sys.stat(p); // their inodes exist before the remount

  const original = mountLineOf(root);
  if (!original) throw new SetupError(`${root} is not a tracefs mount point in /proc/self/mountinfo`, exp);
  // A mount that already has our gid would show nothing: take the next one.
  const gid = gidOption(original.superOptions) === REMOUNT_GID ? REMOUNT_GID + 1 : REMOUNT_GID;
  const applied = GidRemount.apply(root, gid, ctx.options.onTeardown);
  if ('error' in applied) throw new SetupError(applied.error, exp);
  const remount = applied;
  let restored = false;
  try {
    const now = remount.current();
    exp.that(
      !!now && gidOption(now.superOptions) === gid,
      'mountinfo after remount',
      root,
      `gid=${gid} in the superblock options`,
      now?.raw ?? '(no line)',
    );
    ctx.log(`remounted: ${now?.raw ?? '?'}`);

    const b = ctx.newProbe();
    exp.must(`create ${b.create.line} (after the remount)`, b.add());
    const j = instances ? ctx.newInstance() : undefined;
    if (j) exp.must(`mkdir ${j} (after the remount)`, sys.mkdir(j, 0o755));

    expectGid(sys, exp, [root], gid, 'tracefs root after remount');
    expectGid(sys, exp, eventPaths(sys, root, a), gid, 'event made before the remount');
    expectGid(sys, exp, eventPaths(sys, root, b), gid, 'event made after the remount');
    if (i && j) {
      expectGid(sys, exp, [i, j], gid, 'instance dir');
      expectGid(sys, exp, eventPaths(sys, i, a), gid, 'instance made before the remount, event before');
      expectGid(sys, exp, eventPaths(sys, i, b), gid, 'instance made before the remount, event after');
      expectGid(sys, exp, eventPaths(sys, j, a), gid, 'instance made after the remount, event before');
      expectGid(sys, exp, eventPaths(sys, j, b), gid, 'instance made after the remount, event after');
    } else exp.note('no instances on this kernel: the instance checks were not made');

    const back = remount.restore();
    restored = true;
    judgeRestore(exp, root, back);
    const origGid = gidOption(remount.original.superOptions) ?? 0;
    expectGid(sys, exp, [root, ...eventPaths(sys, root, a), ...eventPaths(sys, root, b)], origGid, 'after the restore');
    if (j) expectGid(sys, exp, eventPaths(sys, j, b), origGid, 'after the restore');
    exp.note(`mountinfo before and after: ${remount.original.raw}`);
    return exp.outcome();
  } finally {
    // A SetupError or a throw above must not leave the machine with our gid.
    if (!restored) remount.restore();
  }
}
