import { Command } from 'commander';
import { openTracefs } from '../../tracefs/open.js';
import { removeStale } from '../../probes/stale.js';
import { EXIT } from '../../errors.js';
import { onTeardown } from '../../runner/teardown.js';

export function cleanupCommand(): Command {
  return new Command('cleanup')
    .description(
      'remove what dead runs left in tracefs (events, groups and instances named tfsr_<pid>_... whose pid is gone); live runs are left alone',
    )
    .option('--tracefs <path>', 'tracefs mount point (default: found in /proc/self/mountinfo)')
    .action((o: { tracefs?: string }) => {
      const t = openTracefs({ path: o.tracefs, onTeardown });
      const r = removeStale(t.root);
      for (const e of r.removedEvents) process.stdout.write(`removed event ${e}\n`);
      for (const i of r.removedInstances) process.stdout.write(`removed instance ${i}\n`);
      for (const g of r.alreadyGone) process.stdout.write(`already removed (by another cleanup or run) ${g}\n`);
      for (const f of r.failed) process.stderr.write(`could not remove ${f}\n`);
      if (!r.removedEvents.length && !r.removedInstances.length && !r.alreadyGone.length && !r.failed.length) {
        process.stdout.write('nothing to clean up\n');
      }
      process.exitCode = r.failed.length ? EXIT.failed : EXIT.ok;
    });
}
