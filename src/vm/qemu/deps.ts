// SPDX-License-Identifier: GPL-2.0-only
// Host programs the VM runner needs, a clear message naming the apt command
// when one is missing, and --install-deps to install them.
import fs from 'node:fs';
import { execa } from 'execa';
import { EnvironmentError } from '../../errors.js';
import { findInPath } from '../../host/programs.js';
import { isStaticElf, readHead } from '../../util/elf.js';
import { BUSYBOX } from '../guest/initramfs.js';

export interface Dep {
  /** What must exist (a program in PATH, or an absolute path). */
  what: string;
  pkg: string;
  /** Only needed to fetch debian:<series> kernels. */
  debianOnly?: boolean;
  /** Only needed by vm --coverage. */
  coverageOnly?: boolean;
}

export const DEPS: Dep[] = [
  // An explicit TRACEFS_REGRESS_QEMU is checked by chooseQemu, which names that variable in its message.
  ...(process.env.TRACEFS_REGRESS_QEMU ? [] : [{ what: 'qemu-system-x86_64', pkg: 'qemu-system-x86' }]),
  { what: BUSYBOX, pkg: 'busybox-static' },
  { what: 'modprobe', pkg: 'kmod' },
  { what: 'depmod', pkg: 'kmod' },
  { what: 'xz', pkg: 'xz-utils' },
  { what: 'apt-get', pkg: 'apt', debianOnly: true },
  { what: 'dpkg-deb', pkg: 'dpkg', debianOnly: true },
  { what: 'lcov', pkg: 'lcov', coverageOnly: true },
  { what: 'genhtml', pkg: 'lcov', coverageOnly: true },
];

export const APT_PACKAGES = ['qemu-system-x86', 'busybox-static', 'kmod', 'cpio', 'xz-utils'];
export const INSTALL_HINT = `apt-get install -y --no-install-recommends ${APT_PACKAGES.join(' ')}`;

function inPath(cmd: string): boolean {
  return findInPath(cmd) !== undefined;
}

/** Missing packages (deduplicated), checking what each dep needs. Debian's plain busybox is dynamic: useless in an initramfs. */
export function missingPackages(
  o: { debian: boolean; coverage?: boolean },
  exists = inPath,
  readHead = readHeadOf,
): string[] {
  const pkgs = new Set<string>();
  for (const d of DEPS) {
    if (d.debianOnly && !o.debian) continue;
    if (d.coverageOnly && !o.coverage) continue;
    if (!exists(d.what)) pkgs.add(d.pkg);
    else if (d.what === BUSYBOX && !isStaticElf(readHead(BUSYBOX))) pkgs.add('busybox-static');
  }
  return [...pkgs];
}

function readHeadOf(file: string): Buffer {
  return readHead(file, 4096);
}

export async function ensureDeps(o: {
  debian: boolean;
  coverage?: boolean;
  install: boolean;
  log: (m: string) => void;
}): Promise<void> {
  const missing = missingPackages(o);
  if (!missing.length) return;
  const cmd = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!o.install) {
    throw new EnvironmentError(
      `the VM runner needs ${missing.join(', ')}; install with: ${cmd} (or pass --install-deps)`,
    );
  }
  if (process.getuid?.() !== 0 || !fs.existsSync('/etc/debian_version')) {
    throw new EnvironmentError(
      `--install-deps works as root on Debian-like systems only; install ${missing.join(', ')} yourself`,
    );
  }
  o.log(`installing ${missing.join(' ')}`);
  // Two `vm --install-deps` at once (or any apt on the box): wait up to 5 min for dpkg's lock instead of failing on it.
  const r = await execa(
    'apt-get',
    ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...missing],
    {
      reject: false,
      all: true,
      env: { DEBIAN_FRONTEND: 'noninteractive' },
    },
  );
  if (r.exitCode !== 0) throw new EnvironmentError(`${cmd} failed: ${(r.all ?? '').split('\n').slice(-3).join(' ')}`);
  const still = missingPackages(o);
  if (still.length) throw new EnvironmentError(`still missing after install: ${still.join(', ')}`);
}
