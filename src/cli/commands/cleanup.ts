// SPDX-License-Identifier: GPL-2.0-only
import { Command } from 'commander';
import { openTracefs } from '../../tracefs/open.js';
import { removeStale, describeCleanup, cleanupFoundNothing } from '../../probes/stale.js';
import { removeDeadPrivateMounts, describeMountCleanup } from '../../tracefs/mount.js';
import { EXIT } from '../../errors.js';
import { onTeardown } from '../../runner/teardown.js';

export function cleanupCommand(): Command {
  return new Command('cleanup')
    .description(
      "remove what dead runs left in tracefs (events, groups and instances named tfsr_<pid>_<tag>... whose run's lease is free) and their private tracefs mounts; live runs are left alone",
    )
    .option('--tracefs <path>', 'tracefs mount point (default: found in /proc/self/mountinfo)')
    .action((o: { tracefs?: string }) => {
      const t = openTracefs({ path: o.tracefs, onTeardown });
      const r = removeStale(t.root);
      const m = removeDeadPrivateMounts(t.mountedByUs ? t.root : undefined);
      for (const line of [...describeCleanup(r), ...describeMountCleanup(m)]) process.stdout.write(`${line}\n`);
      for (const f of [...r.failed, ...m.failed]) process.stderr.write(`could not remove ${f}\n`);
      if (cleanupFoundNothing(r) && !m.removed.length && !m.alive.length && !m.failed.length) {
        process.stdout.write('nothing to clean up\n');
      }
      process.exitCode = r.failed.length || m.failed.length ? EXIT.failed : EXIT.ok;
    });
}
