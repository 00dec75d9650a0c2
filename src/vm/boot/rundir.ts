// SPDX-License-Identifier: GPL-2.0-only
// Per-run directories under ~/.cache/tracefs-regress/run/<time>-<pid>-<rand>:
// the initramfs, the serial log, the results share and qemu's pid file. Not
// /tmp: the guest mounts a tmpfs there, which would hide them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDirs } from '../../host/paths.js';
import { pidAlive } from '../../util/pid.js';

/** Run directories left by failed runs are kept for a week, then pruned. */
function pruneRuns(maxAgeMs = 7 * 24 * 3600_000): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(cacheDirs.runs());
  } catch {
    return;
  }
  for (const n of names) {
    const d = path.join(cacheDirs.runs(), n);
    try {
      if (Date.now() - fs.statSync(d).mtimeMs > maxAgeMs) fs.rmSync(d, { recursive: true, force: true });
    } catch {
      /* raced with another run */
    }
  }
}

/**
 * End qemu processes whose runner died without cleaning up (SIGKILL; where
 * PR_SET_PDEATHSIG is not honoured). The run dir name carries the runner's
 * pid; qemu's pid file and its command line (naming the same run dir) must
 * both match before anything is killed, so a reused pid is never hit.
 */
export function reapOrphans(): string[] {
  const killed: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(cacheDirs.runs());
  } catch {
    return killed;
  }
  for (const n of names) {
    const owner = Number(/-(\d+)-[0-9a-f]{6}$/.exec(n)?.[1]);
    const dir = path.join(cacheDirs.runs(), n);
    if (!owner || pidAlive(owner)) continue;
    try {
      const pid = Number(fs.readFileSync(path.join(dir, 'qemu.pid'), 'utf8').trim());
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('qemu-system') && cmd.includes(dir)) {
        process.kill(pid, 'SIGKILL');
        killed.push(`${pid} (${n})`);
      }
    } catch {
      /* no pid file, or qemu long gone */
    }
  }
  return killed;
}

export function newRunDir(): string {
  pruneRuns();
  const id = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  const dir = path.join(cacheDirs.runs(), id);
  fs.mkdirSync(path.join(dir, 'share'), { recursive: true });
  return dir;
}

/** After a boot: the caller takes the run directory, it goes (a clean run), or it stays for inspection. */
export type Retention = 'caller' | 'remove' | 'inspect';

export function retentionOf(r: { clean: boolean; callerKeeps: boolean }): Retention {
  if (r.callerKeeps) return 'caller'; // the caller reads the share and removes it
  return r.clean ? 'remove' : 'inspect';
}

/** A removed run directory goes whole; one kept for inspection loses only its initramfs (the big file). */
export function retainRunDir(dir: string, r: Retention): void {
  if (r === 'remove') fs.rmSync(dir, { recursive: true, force: true });
  else if (r === 'inspect') fs.rmSync(path.join(dir, 'initramfs.cpio'), { force: true });
}
