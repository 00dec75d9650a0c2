import fs from 'node:fs';
import { Command } from 'commander';
import { openTracefs } from '../../tracefs/open.js';
import { isRoot, tracefsInKernel } from '../../tracefs/mount.js';
import { PROBE_KINDS } from '../../model.js';
import { KIND_FEATURE } from '../../tracefs/features.js';
import { EXIT } from '../../errors.js';
import { packageRoot } from '../../package.js';
import { parseFragment } from '../../kernel/config.js';
import { onTeardown } from '../../runner/teardown.js';

/** The options kernel/tracefs-regress.config asks for that the running kernel's config doesn't have as asked. */
export function fragmentDifferences(running: Map<string, string>, fragment: string): string[] {
  const out: string[] = [];
  for (const o of parseFragment(fragment)) {
    const got = running.get(`CONFIG_${o.name}`) ?? 'undef';
    const ok = o.value === 'n' ? got === 'n' || got === 'undef' : got === o.value;
    if (!ok) out.push(`${o.name}=${got} (wanted ${o.value})`);
  }
  return out;
}

/** Kernel options that matter to the suite (the full list a test kernel needs: kernel/tracefs-regress.config). */
const RELEVANT = [
  'CONFIG_FTRACE',
  'CONFIG_TRACING',
  'CONFIG_KPROBES',
  'CONFIG_KPROBE_EVENTS',
  'CONFIG_UPROBES',
  'CONFIG_UPROBE_EVENTS',
  'CONFIG_DYNAMIC_EVENTS',
  'CONFIG_FPROBE_EVENTS',
  'CONFIG_EPROBE_EVENTS',
  'CONFIG_SYNTH_EVENTS',
  'CONFIG_HIST_TRIGGERS',
  'CONFIG_KASAN',
  'CONFIG_DEBUG_LIST',
  'CONFIG_PROVE_LOCKING',
];

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check this machine: root, tracefs, features, kernel version and the kernel options that matter')
    .option('--tracefs <path>', 'tracefs mount point')
    .action((o: { tracefs?: string }) => {
      const line = (ok: boolean | undefined, what: string) =>
        process.stdout.write(`${ok === undefined ? '  -' : ok ? ' ok' : ' NO'}  ${what}\n`);
      line(isRoot(), `running as root (uid ${process.getuid?.()})`);
      line(tracefsInKernel(), 'tracefs in /proc/filesystems');
      let code: number = EXIT.ok;
      try {
        const t = openTracefs({ path: o.tracefs, writable: false, onTeardown });
        line(true, `tracefs at ${t.root}${t.mountedByUs ? ' (mounted by this check; unmounted at exit)' : ''}`);
        line(undefined, `kernel ${t.kernel.release} ${t.kernel.machine}`);
        for (const k of PROBE_KINDS) line(t.kinds.includes(k), `${k} events (${KIND_FEATURE[k]})`);
        line(t.features.has('instances'), 'instances/');
        line(t.features.has('drop_caches'), '/proc/sys/vm/drop_caches writable (race-drop-caches)');
        line(fs.existsSync('/dev/kmsg'), '/dev/kmsg readable by the health oracle');
        if (t.kernel.config) {
          line(true, `kernel config from ${t.kernel.configSource}`);
          for (const c of RELEVANT) line(undefined, `${c}=${t.kernel.config.get(c) ?? '(unset)'}`);
          // What a test kernel built for the suite has (=m is fine where the VM runner loads modules).
          const diff = fragmentDifferences(
            t.kernel.config,
            fs.readFileSync(`${packageRoot}/kernel/tracefs-regress.config`, 'utf8'),
          );
          line(
            diff.length === 0,
            `kernel/tracefs-regress.config: ${diff.length ? `${diff.length} options differ: ${diff.join(', ')}` : 'every option as asked'}`,
          );
        } else {
          line(false, 'kernel config: no /proc/config.gz or /boot/config-* (options not checked)');
        }
        if (t.kinds.length === 0) code = EXIT.skip;
      } catch (e) {
        line(false, (e as Error).message);
        code = EXIT.usage;
      }
      process.exitCode = code;
    });
}
