// SPDX-License-Identifier: GPL-2.0-only
// `vm --exec PATH [ARGS...]`: run a host program in the guest instead of the
// suite. The guest sees the host's root read-only, so the program is run by
// its host path. Its argv reaches the guest inside /init (initramfs.ts), each
// argument single-quoted for sh: any string without NUL survives (property
// test in test/unit/vm/exec.test.ts). Its stdout and stderr come back raw on
// the guest's ttyS1/ttyS2; its exit status (0-255) through the results share,
// the console marker and isa-debug-exit. A kernel failure, a timeout or a
// guest that never reported back make the exit status 1, whatever the program
// said; a guest that could not set itself up, 2.
import fs from 'node:fs';
import path from 'node:path';
import { EXIT, UsageError, exitForSignal } from '../../errors.js';
import type { BootOutcome } from './boot.js';

/** The program to run in the guest, as checked on the host. */
export interface ExecProgram {
  /** Absolute host path, as given (a symlink stays a symlink: a multi-call binary keeps its name). */
  path: string;
  /** argv of the guest command: path, then the arguments unchanged. */
  argv: string[];
  /** Where it runs in the guest: the host's cwd when the guest can see it, else /. */
  cwd: string;
  /** Directories under /tmp or /run the guest must bind back over its fresh tmpfs. */
  keepPaths: string[];
}

/** Host trees the guest replaces with its own fresh mounts: nothing of the host's is visible there. */
export const REPLACED_IN_GUEST = ['/proc', '/sys', '/dev'];
/** Host trees the guest covers with a tmpfs; what the program needs there is bound back. */
export const TMPFS_IN_GUEST = ['/tmp', '/run'];

const under = (p: string, dirs: string[]) => dirs.some((d) => p === d || p.startsWith(`${d}/`));

export interface ExecHost {
  cwd: string;
  /** The host's PATH, for a program named without a slash. */
  envPath?: string;
}

const USAGE = 'vm [options] --exec PATH [-- ARGS...]';

/** Check the program on the host (exists, regular, executable, visible in the guest) and plan how it runs. */
export function planExec(prog: string | undefined, args: string[], host: ExecHost): ExecProgram {
  if (!prog) throw new UsageError(`--exec needs the program's path: ${USAGE}`);
  if (prog.includes('\0') || args.some((a) => a.includes('\0')))
    throw new UsageError('--exec: an argument holds a NUL byte, which no argv can carry');
  const abs = findProgram(prog, host);
  let st: fs.Stats;
  let real: string;
  try {
    st = fs.statSync(abs);
    real = fs.realpathSync(abs);
  } catch {
    throw new UsageError(
      `--exec ${prog}: no such file on the host (${abs}); the guest runs host programs by their host path`,
    );
  }
  if (!st.isFile()) throw new UsageError(`--exec ${prog}: ${abs} is not a regular file; give the program's path`);
  if ((st.mode & 0o111) === 0) throw new UsageError(`--exec ${prog}: ${abs} is not executable; chmod +x ${abs}`);
  for (const p of [abs, real]) {
    if (under(p, REPLACED_IN_GUEST))
      throw new UsageError(
        `--exec ${prog}: ${p} is not visible in the guest, which mounts its own ${REPLACED_IN_GUEST.join(', ')} ` +
          `over the shared host root; copy the program elsewhere (e.g. /var/tmp)`,
      );
  }
  const keepPaths = [...new Set([path.dirname(abs), path.dirname(real)])].filter((d) => under(d, TMPFS_IN_GUEST));
  const cwd = under(host.cwd, REPLACED_IN_GUEST) ? '/' : host.cwd;
  return { path: abs, argv: [abs, ...args], cwd, keepPaths };
}

/** A path as given (relative to cwd), or a bare name looked up in the host's PATH, as a shell would. */
function findProgram(prog: string, host: ExecHost): string {
  if (prog.includes('/')) return path.resolve(host.cwd, prog);
  for (const d of (host.envPath ?? '').split(':').filter(Boolean)) {
    const c = path.resolve(host.cwd, d, prog);
    try {
      const st = fs.statSync(c);
      if (st.isFile() && st.mode & 0o111) return c;
    } catch {
      /* not in this directory */
    }
  }
  throw new UsageError(`--exec ${prog}: not found in PATH; give the program's path (e.g. ./${prog})`);
}

/**
 * `vm --exec`'s exit status: the program's own (0-255) when the guest ran it
 * to the end with a healthy kernel; 1 for a kernel failure on the console, a
 * timeout, or a guest that never reported back; 2 when the guest could not
 * set itself up; 130/143 when this process was interrupted.
 */
export function execExitCode(o: Pick<BootOutcome, 'status' | 'guestCode' | 'interrupted'>): number {
  if (o.status === 'INTERRUPTED') return exitForSignal(o.interrupted);
  if (o.status === 'GUEST_SETUP') return EXIT.usage;
  if (o.status !== 'DONE') return EXIT.failed;
  const c = o.guestCode;
  return c !== undefined && Number.isInteger(c) && c >= 0 && c <= 255 ? c : EXIT.failed;
}
