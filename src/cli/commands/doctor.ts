// SPDX-License-Identifier: GPL-2.0-only
// `tracefs-regress doctor [run|vm|kernel]`: what each command needs, as a
// table; exit 1 when something a command that was asked about cannot do
// without is missing, 0 otherwise. Only `run`'s checks open tracefs (and load
// the addon, on first use): `doctor vm` and `doctor kernel` work where the addon did not build.
import fs from 'node:fs';
import { Argument, Command } from 'commander';
import { PROBE_KINDS, type ProbeKind } from '../../model.js';
import { openTracefs } from '../../tracefs/open.js';
import { isRoot, tracefsInKernel } from '../../tracefs/mount.js';
import { EXIT } from '../../errors.js';
import { packageRoot } from '../../package.js';
import { DEFAULT_KINDS } from '../../runner/select.js';
import { onTeardown } from '../../runner/teardown.js';
import { useColor } from '../../util/color.js';
import {
  configChecks,
  fragmentPath,
  kernelChecks,
  realHost,
  SECTIONS,
  vmChecks,
  type Check,
  type CheckStatus,
  type Section,
} from '../doctor/checks.js';

export { fragmentDifferences } from '../doctor/checks.js';

/** The control file each kind is created through. */
const CONTROL_FILE: Record<ProbeKind, string> = {
  kprobe: 'kprobe_events',
  uprobe: 'uprobe_events',
  fprobe: 'dynamic_events',
  eprobe: 'dynamic_events',
  synthetic: 'synthetic_events',
};

/** What `run` needs: root, tracefs and its control files, a probe kind, the tracing options. */
function runChecks(tracefsPath: string | undefined): Check[] {
  const out: Check[] = [];
  const add = (what: string, status: CheckStatus, detail: string) => out.push({ section: 'run', what, status, detail });
  const uid = process.getuid?.();
  add('root', isRoot() ? 'ok' : 'missing', isRoot() ? 'uid 0' : `uid ${uid}: run as root (sudo); vm does not need it`);
  add(
    'tracefs in kernel',
    tracefsInKernel() ? 'ok' : 'missing',
    tracefsInKernel() ? '/proc/filesystems' : 'CONFIG_TRACING',
  );
  add(
    '/dev/kmsg',
    readable('/dev/kmsg') ? 'ok' : 'warn',
    readable('/dev/kmsg')
      ? 'readable: the health oracle sees oopses'
      : 'not readable: runs go on without the kernel log',
  );
  try {
    const t = openTracefs({ path: tracefsPath, writable: false, onTeardown });
    add('tracefs', 'ok', `${t.root}${t.mountedByUs ? ' (mounted by this check; unmounted at exit)' : ''}`);
    add('kernel', 'info', `${t.kernel.release} ${t.kernel.machine}`);
    for (const k of PROBE_KINDS) {
      const file = CONTROL_FILE[k];
      const has = t.kinds.includes(k);
      const writable = has && writableFile(`${t.root}/${file}`);
      const byDefault = DEFAULT_KINDS.includes(k) ? '' : ` (with --probe ${k})`;
      add(
        `${k} events`,
        has && writable ? 'ok' : 'warn',
        has
          ? `${file}${writable ? ' writable' : ' not writable'}${byDefault}`
          : `not in this kernel: its variants SKIP${byDefault}`,
      );
    }
    if (t.kinds.length === 0) add('a probe kind', 'missing', 'no dynamic-event kind at all: run would exit 4');
    add('instances/', t.features.has('instances') ? 'ok' : 'warn', 'instance scenarios');
    add(
      'drop_caches',
      t.features.has('drop_caches') ? 'ok' : 'warn',
      '/proc/sys/vm/drop_caches writable (race-drop-caches)',
    );
    if (t.kernel.config) {
      const fragment = fs.readFileSync(fragmentPath(packageRoot), 'utf8');
      const inGuest = process.env.TRACEFS_REGRESS_GUEST === '1';
      out.push(...configChecks(t.kernel.config, t.kernel.configSource ?? '?', fragment, inGuest));
    } else {
      add('kernel config', 'info', 'no /proc/config.gz or /boot/config-*: options not checked');
    }
  } catch (e) {
    add('tracefs', 'missing', (e as Error).message);
  }
  return out;
}

function readable(file: string): boolean {
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
    return true;
  } catch {
    return false;
  }
}

function writableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const MARK: Record<CheckStatus, [string, number]> = {
  ok: ['ok', 32],
  missing: ['MISSING', 31],
  warn: ['warn', 33],
  info: ['-', 2],
};

/** The table: section, status, what, detail; columns padded, colour on the status only. */
export function renderChecks(checks: readonly Check[], color: boolean): string {
  const w = (f: (c: Check) => string) => Math.max(...checks.map((c) => f(c).length));
  const wSection = w((c) => c.section);
  const wMark = w((c) => MARK[c.status][0]);
  const wWhat = w((c) => c.what);
  return checks
    .map((c) => {
      const [m, sgr] = MARK[c.status];
      const mark = color ? `\x1b[${sgr}m${m.padEnd(wMark)}\x1b[0m` : m.padEnd(wMark);
      return `${c.section.padEnd(wSection)}  ${mark}  ${c.what.padEnd(wWhat)}  ${c.detail}`.trimEnd();
    })
    .join('\n');
}

/** 1 when a check of an asked section is missing, 0 otherwise. */
export function doctorExitCode(checks: readonly Check[]): number {
  return checks.some((c) => c.status === 'missing') ? EXIT.failed : EXIT.ok;
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description(
      'check what run (root, tracefs, probe kinds, kernel options), vm (QEMU, busybox-static, kmod, /dev/kvm) and kernel build (compiler, headers) need; ' +
        'exit 1 when something the asked commands need is missing',
    )
    .addArgument(new Argument('[command...]', 'only these commands').choices(SECTIONS).default([], 'all'))
    .option('--tracefs <path>', 'tracefs mount point (default: found in /proc/self/mountinfo)')
    .action((asked: Section[], o: { tracefs?: string }) => {
      const want = new Set<Section>(asked.length ? asked : SECTIONS);
      const host = realHost();
      const checks: Check[] = [];
      if (want.has('run')) checks.push(...runChecks(o.tracefs));
      if (want.has('vm')) checks.push(...vmChecks(host));
      if (want.has('kernel')) checks.push(...kernelChecks(host));
      process.stdout.write(renderChecks(checks, useColor(process.stdout)) + '\n');
      const missing = checks.filter((c) => c.status === 'missing');
      if (missing.length)
        process.stdout.write(
          `missing for ${[...new Set(missing.map((c) => c.section))].join(', ')}: ${missing.map((c) => c.what).join(', ')}\n`,
        );
      process.exitCode = doctorExitCode(checks);
    });
}
