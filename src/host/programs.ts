// SPDX-License-Identifier: GPL-2.0-only
// Finding host programs the way a shell would, plus the sbin dirs a non-root
// PATH lacks (depmod, modprobe): the VM runner's and the kernel builder's
// prerequisite checks both ask this.
import fs from 'node:fs';
import path from 'node:path';

/** Where cmd would run from (PATH, then /usr/sbin and /sbin); undefined if nowhere. An absolute cmd must exist. */
export function findInPath(cmd: string): string | undefined {
  if (cmd.startsWith('/')) return fs.existsSync(cmd) ? cmd : undefined;
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean).concat(['/usr/sbin', '/sbin']);
  for (const d of dirs) {
    try {
      fs.accessSync(path.join(d, cmd), fs.constants.X_OK);
      return path.join(d, cmd);
    } catch {
      /* not here */
    }
  }
  return undefined;
}
