// SPDX-License-Identifier: GPL-2.0-only
// An unprivileged child for the perm-* scenarios: a node process started with
// another uid/gid (libuv drops the supplementary groups too) that performs a
// list of steps on tracefs paths and reports each result as data (JSON on
// stdout), never as an exception. It uses node's fs, not the addon: the child
// must run whatever the addon's build dir permissions are.
import { spawnSync } from 'node:child_process';

/** nobody/nogroup on Debian: an id with no rights on tracefs. */
export const UNPRIVILEGED_ID = 65534;

/** The errnos a refused permission may come as: DAC gives EACCES, a capability check EPERM. */
export const DENIED = ['EACCES', 'EPERM'] as const;

export type ChildStep =
  /** open(O_WRONLY|O_APPEND) then one write(2) of data: how a control line or "1" reaches tracefs. */
  | { op: 'append'; path: string; data: string }
  /** stat(2). */
  | { op: 'stat'; path: string }
  /** access(2) with X_OK (search permission on a directory). */
  | { op: 'search'; path: string }
  /**
   * Like append, through /proc/self/fd/3: an O_PATH fd the parent opened on
   * `path`. The re-open checks the file's own mode only, not the directories
   * above it (tracefs's root is 0700), so this reaches the file's permission check.
   */
  | { op: 'append-via-fd'; path: string; data: string };

export interface ChildResult {
  op: ChildStep['op'];
  path: string;
  /** The syscall that failed ('open', 'write', 'stat', 'access'), absent on success. */
  syscall?: string;
  /** 'success' or the errno name. */
  got: string;
}

export interface ChildReport {
  uid: number;
  gid: number;
  groups: number[];
  results: ChildResult[];
}

// Runs as `node -e CHILD_SCRIPT STEPS_JSON`: no project module is loaded.
const CHILD_SCRIPT = `
const fs = require('node:fs');
const steps = JSON.parse(process.argv[1]);
const K = fs.constants;
const results = steps.map((s) => {
  let syscall = '';
  try {
    if (s.op === 'append' || s.op === 'append-via-fd') {
      syscall = 'open';
      const fd = fs.openSync(s.op === 'append' ? s.path : '/proc/self/fd/3', K.O_WRONLY | K.O_APPEND);
      try { syscall = 'write'; fs.writeSync(fd, s.data); } finally { fs.closeSync(fd); }
    } else if (s.op === 'stat') { syscall = 'stat'; fs.statSync(s.path); }
    else { syscall = 'access'; fs.accessSync(s.path, K.X_OK); }
    return { op: s.op, path: s.path, got: 'success' };
  } catch (e) {
    return { op: s.op, path: s.path, syscall, got: e.code || String(e) };
  }
});
process.stdout.write(JSON.stringify({ uid: process.getuid(), gid: process.getgid(), groups: process.getgroups(), results }));
`;

/** Parses the child's stdout; a malformed report is an Error with what came back. */
export function parseChildReport(stdout: string, steps: readonly ChildStep[]): ChildReport {
  let r: ChildReport;
  try {
    r = JSON.parse(stdout) as ChildReport;
  } catch {
    throw new Error(`the unprivileged child printed no report: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  if (!Array.isArray(r.results) || r.results.length !== steps.length) {
    throw new Error(`the unprivileged child reported ${r.results?.length ?? 0} results for ${steps.length} steps`);
  }
  r.results.forEach((x, i) => {
    if (x.op !== steps[i]!.op || x.path !== steps[i]!.path || typeof x.got !== 'string')
      throw new Error(`the unprivileged child's result ${i} does not match its step: ${JSON.stringify(x)}`);
  });
  return r;
}

/**
 * Why a child report cannot be trusted as an unprivileged one (it kept root's
 * uid, gid or a supplementary group), or undefined when it ran as asked.
 */
export function privilegeLeak(r: ChildReport, id: number): string | undefined {
  if (r.uid !== id || r.gid !== id) return `ran as uid ${r.uid} gid ${r.gid}, not ${id}`;
  const extra = r.groups.filter((g) => g !== id);
  return extra.length ? `kept supplementary groups ${extra.join(',')}` : undefined;
}

/** Runs the steps as uid/gid `id` (cwd /, empty environment, `pathFd` as its fd 3); throws when the child could not run. */
export function runUnprivileged(
  steps: readonly ChildStep[],
  opts: { id?: number; timeoutMs?: number; pathFd?: number } = {},
): ChildReport {
  const id = opts.id ?? UNPRIVILEGED_ID;
  const p = spawnSync(process.execPath, ['-e', CHILD_SCRIPT, JSON.stringify(steps)], {
    stdio: ['ignore', 'pipe', 'pipe', ...(opts.pathFd === undefined ? [] : [opts.pathFd])],
    uid: id,
    gid: id,
    cwd: '/',
    env: {},
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
  });
  if (p.error) throw new Error(`cannot start the unprivileged child (uid ${id}): ${p.error.message}`);
  if (p.status !== 0) {
    throw new Error(
      `the unprivileged child (uid ${id}) exited ${p.status ?? p.signal}: ${p.stderr.trim().slice(0, 300)}`,
    );
  }
  return parseChildReport(p.stdout, steps);
}
