// SPDX-License-Identifier: GPL-2.0-only
// What `doctor` checks, one list per command it speaks for: `run` (root,
// tracefs, its control files, probe kinds, the kernel options a host run
// relies on), `vm` (QEMU and its TCG threading, busybox-static, kmod, xz, apt
// for Debian kernels, /dev/kvm, the cache) and `kernel build` (compiler,
// flex, bison, bc, headers, ccache). The host's probes come in through Host,
// so a test can plant a machine without QEMU.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseFragment } from '../../kernel/config.js';
import { BUILD_DEPS_HINT, BUILD_HEADERS, BUILD_TOOLS } from '../../kernel/build.js';
import { cacheDirs, cacheRoot } from '../../host/paths.js';
import { findInPath } from '../../host/programs.js';
import { defaultTcg, kvmCandidate } from '../../vm/qemu/accel.js';
import { DEPS } from '../../vm/qemu/deps.js';
import { BUSYBOX } from '../../vm/guest/initramfs.js';
import { mttcgSafe, parseQemuVersion, type QemuVersion } from '../../vm/qemu/version.js';
import { isStaticElf, readHead } from '../../util/elf.js';
import { TRACING_OPTIONS } from '../../tracefs/feature-table.js';

export const SECTIONS = ['run', 'vm', 'kernel'] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * ok: present. missing: the command cannot work without it (doctor exits 1).
 * warn: it works, with less (a probe kind that will SKIP, TCG instead of KVM).
 * info: a fact worth seeing (versions, where things are).
 */
export type CheckStatus = 'ok' | 'missing' | 'warn' | 'info';

export interface Check {
  section: Section;
  what: string;
  status: CheckStatus;
  detail: string;
}

/** The machine as the checks see it. */
export interface Host {
  which(cmd: string): string | undefined;
  exists(file: string): boolean;
  staticElf(file: string): boolean;
  /** `qemu --version`'s output, or undefined when it does not run. */
  qemuVersionText(bin: string): string | undefined;
  kvmUsable(): boolean;
  /** The directory exists or can be made, and is writable. */
  writableDir(dir: string): boolean;
  env: NodeJS.ProcessEnv;
}

export function realHost(): Host {
  return {
    which: findInPath,
    exists: (f) => fs.existsSync(f),
    staticElf: (f) => {
      try {
        return isStaticElf(readHead(f, 4096));
      } catch {
        return false;
      }
    },
    // A one-shot check: the plain synchronous spawn is enough (vm itself uses execa).
    qemuVersionText: (bin) => {
      const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
      return r.status === 0 ? r.stdout : undefined;
    },
    kvmUsable: kvmCandidate,
    writableDir: (dir) => {
      try {
        fs.mkdirSync(dir, { recursive: true });
        fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    env: process.env,
  };
}

const c = (section: Section, what: string, status: CheckStatus, detail: string): Check => ({
  section,
  what,
  status,
  detail,
});

/** A program the command needs: ok with where it is, or missing with the apt package. */
function program(section: Section, cmd: string, pkg: string, h: Host, why = ''): Check {
  const at = h.which(cmd);
  return at
    ? c(section, cmd, 'ok', at)
    : c(section, cmd, 'missing', `not in PATH${why}; install with: apt-get install ${pkg}`);
}

/** What `vm` needs. */
export function vmChecks(h: Host): Check[] {
  const out: Check[] = [];
  const explicit = h.env.TRACEFS_REGRESS_QEMU;
  const qemu = explicit || h.which('qemu-system-x86_64');
  if (!qemu) {
    out.push(c('vm', 'qemu-system-x86_64', 'missing', 'not in PATH; install with: apt-get install qemu-system-x86'));
  } else {
    const text = h.qemuVersionText(qemu);
    const v = text === undefined ? undefined : parseQemuVersion(text);
    const where = explicit ? `${qemu} (TRACEFS_REGRESS_QEMU)` : qemu;
    if (!v) {
      out.push(c('vm', 'qemu-system-x86_64', 'missing', `${where} does not run (--version failed)`));
    } else {
      out.push(c('vm', 'qemu-system-x86_64', 'ok', `${where}, QEMU ${v.text}`));
      out.push(tcgCheck(v, !!explicit, h));
    }
  }
  const bb = h.exists(BUSYBOX);
  out.push(
    !bb
      ? c('vm', 'busybox-static', 'missing', `no ${BUSYBOX}; install with: apt-get install busybox-static`)
      : h.staticElf(BUSYBOX)
        ? c('vm', 'busybox-static', 'ok', `${BUSYBOX} is static`)
        : c(
            'vm',
            'busybox-static',
            'missing',
            `${BUSYBOX} is dynamic (useless in an initramfs); apt-get install busybox-static`,
          ),
  );
  for (const d of DEPS) {
    if (d.what === BUSYBOX || d.what === 'qemu-system-x86_64') continue;
    if (d.coverageOnly) {
      // Only `vm --coverage` runs them: their absence is no problem for anything else.
      const at = h.which(d.what);
      out.push(
        at
          ? c('vm', d.what, 'ok', at)
          : c(
              'vm',
              d.what,
              'info',
              `not in PATH (needed by vm --coverage only); install with: apt-get install ${d.pkg}`,
            ),
      );
      continue;
    }
    out.push(program('vm', d.what, d.pkg, h, d.debianOnly ? ' (needed for debian:<series> kernels, the default)' : ''));
  }
  out.push(
    h.kvmUsable()
      ? c('vm', '/dev/kvm', 'ok', 'usable, and the CPU has vmx/svm: a trial boot decides KVM or TCG')
      : c('vm', '/dev/kvm', 'warn', 'not usable (absent, no access, or no vmx/svm): guests run under TCG, slower'),
  );
  const cache = cacheRoot();
  out.push(
    h.writableDir(cache)
      ? c('vm', 'cache', 'ok', `${cache} writable (kernels, QEMU, apt state; no root needed)`)
      : c('vm', 'cache', 'missing', `${cache} not writable: set XDG_CACHE_HOME or HOME to a writable directory`),
  );
  return out;
}

/** How the guest's vCPUs will run when KVM is not used, and why. */
function tcgCheck(v: QemuVersion, explicit: boolean, h: Host): Check {
  if (mttcgSafe(v) || explicit) return c('vm', 'TCG threading', 'info', defaultTcg(v).why);
  const how = h.exists(cacheDirs.qemu()) ? 'cached here' : 'fetched with apt-get download on first use';
  return c(
    'vm',
    'TCG threading',
    'info',
    `QEMU ${v.text} < 8.1: vm runs QEMU from bookworm-backports (${how}) for multi-threaded TCG, else this one single-threaded`,
  );
}

/** What `kernel build` needs. */
export function kernelChecks(h: Host): Check[] {
  const out = BUILD_TOOLS.map((t) => program('kernel', t, t === 'gcc' ? 'gcc' : t, h));
  for (const { header, pkg } of BUILD_HEADERS) {
    out.push(
      h.exists(header)
        ? c('kernel', pkg, 'ok', header)
        : c('kernel', pkg, 'missing', `no ${header}; install with: apt-get install ${pkg}`),
    );
  }
  if (out.some((x) => x.status === 'missing')) out.push(c('kernel', 'all at once', 'info', BUILD_DEPS_HINT));
  return out;
}

/**
 * Options of kernel/tracefs-regress.config a host run relies on (tracefs and
 * the dynamic-event kinds: the tracing rows of tracefs/feature-table.ts). The rest of the fragment (9p, virtio, serial,
 * no modules...) is for a test kernel booted by `vm` and says nothing about a
 * host: it is compared only inside a guest.
 */
export const HOST_OPTIONS = TRACING_OPTIONS;

/** The fragment's options the running kernel does not have as asked: `NAME=got (wanted X)`. */
export function fragmentDifferences(
  running: Map<string, string>,
  fragment: string,
  only?: (name: string) => boolean,
): string[] {
  const out: string[] = [];
  for (const o of parseFragment(fragment)) {
    if (only && !only(o.name)) continue;
    const got = running.get(`CONFIG_${o.name}`) ?? 'undef';
    const ok = o.value === 'n' ? got === 'n' || got === 'undef' : got === o.value;
    if (!ok) out.push(`${o.name}=${got} (wanted ${o.value})`);
  }
  return out;
}

/**
 * The kernel-config rows of `run`: on a host, only HOST_OPTIONS (a difference
 * is a warning: tracefs's own files decide what runs); inside a `vm` guest,
 * the whole fragment, guest-only options included.
 */
export function configChecks(config: Map<string, string>, source: string, fragment: string, inGuest: boolean): Check[] {
  const host = fragmentDifferences(config, fragment, (n) => HOST_OPTIONS.has(n));
  const out = [
    c('run', 'kernel config', 'info', `from ${source}`),
    c(
      'run',
      'tracing options',
      host.length ? 'warn' : 'ok',
      host.length
        ? `${host.length} differ from kernel/tracefs-regress.config: ${host.join(', ')}`
        : 'as kernel/tracefs-regress.config asks',
    ),
  ];
  if (inGuest) {
    const guest = fragmentDifferences(config, fragment, (n) => !HOST_OPTIONS.has(n));
    out.push(
      c(
        'run',
        'guest options',
        guest.length ? 'warn' : 'ok',
        guest.length ? `${guest.length} differ: ${guest.join(', ')}` : 'every guest option as asked',
      ),
    );
  } else {
    out.push(c('run', 'guest options', 'info', 'not checked on a host (9p, virtio, serial: what `vm` guests need)'));
  }
  return out;
}

export const fragmentPath = (root: string) => path.join(root, 'kernel', 'tracefs-regress.config');
