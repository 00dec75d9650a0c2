import { Command } from 'commander';
import { CATALOGUE } from '../../scenarios/catalogue.js';
import { openTracefs } from '../../tracefs/open.js';
import { DEFAULT_KINDS } from '../../runner/select.js';
import { unmet } from '../../runner/run-suite.js';
import { PROBE_KINDS } from '../../model.js';
import type { Tracefs } from '../../tracefs/types.js';
import { onTeardown } from '../../runner/teardown.js';

export function listCommand(): Command {
  return new Command('list')
    .description('list the scenarios, what each requires, and whether this kernel meets it')
    .option('--tracefs <path>', 'tracefs mount point')
    .action((o: { tracefs?: string }) => {
      let t: Tracefs | undefined;
      let why = '';
      try {
        t = openTracefs({ path: o.tracefs, writable: false, onTeardown });
      } catch (e) {
        why = (e as Error).message;
      }
      const out: string[] = [];
      for (const s of CATALOGUE) {
        out.push(`${s.id}${s.race ? '  (race)' : ''}`);
        out.push(`  ${s.title}`);
        out.push(`  requires: ${['<probe kind>', ...s.requires].join(', ')}`);
        for (const ref of s.references) out.push(`  guards: ${ref}`);
        if (!t) continue;
        for (const k of PROBE_KINDS) {
          if (!DEFAULT_KINDS.includes(k) && !t.kinds.includes(k)) continue;
          const miss = unmet(t, s, k);
          out.push(
            `    ${s.id}[${k}]: ${miss ? `SKIP ${miss}` : 'runs here'}${DEFAULT_KINDS.includes(k) ? '' : ' (with --probe ' + k + ')'}`,
          );
        }
      }
      if (!t) out.push(`(not checked against this kernel: ${why})`);
      process.stdout.write(out.join('\n') + '\n');
    });
}
