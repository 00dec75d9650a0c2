// SPDX-License-Identifier: GPL-2.0-only
// Which QEMU boots the guests. Multi-threaded TCG (the guest's vCPUs on
// several host threads, so two guest syscalls can really overlap) is only safe
// from QEMU 8.1: older ones crash guests with `Oops: int3` while the kernel
// patches its own text. Debian 12 ships 7.2, so the order is:
//   TRACEFS_REGRESS_QEMU (explicit) > the system's qemu-system-x86_64 if >= 8.1
//   > QEMU from bookworm-backports (cached, else fetched) > the system's older
//   QEMU, which then runs single-threaded TCG.
import { EnvironmentError, UsageError } from '../../errors.js';
import { findInPath } from '../../host/programs.js';
import { resolveBackportsQemu } from './backports.js';
import type { QemuBin } from './qemu.js';
import { MTTCG_MIN, mttcgSafe, probeQemu, type QemuProbe, type QemuVersion } from './version.js';

export interface QemuChoice extends QemuBin {
  version: QemuVersion;
  source: 'TRACEFS_REGRESS_QEMU' | 'system' | 'bookworm-backports';
  /** Why this one, in a sentence. */
  why: string;
  /** Set when a QEMU older than 8.1 is used because no newer one could be had. */
  fallback?: string;
}

export interface QemuSources {
  /** TRACEFS_REGRESS_QEMU, when set. */
  explicit?: string;
  /** The system's qemu-system-x86_64 as found in PATH, if any. */
  system?: string;
  probe(bin: string): Promise<QemuProbe>;
  /** The bookworm-backports QEMU, cached or fetched now; throws when it cannot be had. */
  backports(): Promise<QemuBin>;
}

const MIN = MTTCG_MIN.text;

export async function chooseQemu(s: QemuSources): Promise<QemuChoice> {
  if (s.explicit) {
    const p = await s.probe(s.explicit);
    if (!p.ok) {
      throw new UsageError(
        `TRACEFS_REGRESS_QEMU=${s.explicit} does not run (${p.why}); point it at a working qemu-system-x86_64 or unset it`,
      );
    }
    return {
      bin: s.explicit,
      dataDirs: [],
      version: p.version,
      source: 'TRACEFS_REGRESS_QEMU',
      why: 'set in the environment',
    };
  }
  const sys = s.system ? await s.probe(s.system) : undefined;
  if (s.system && sys?.ok && mttcgSafe(sys.version)) {
    return {
      bin: s.system,
      dataDirs: [],
      version: sys.version,
      source: 'system',
      why: `the system's QEMU is ${MIN} or newer`,
    };
  }
  const sysWords = !s.system
    ? 'no system QEMU'
    : sys?.ok
      ? `the system's QEMU ${sys.version.text} is older than ${MIN}`
      : `the system's QEMU does not run (${sys?.why})`;
  let unusable: string;
  try {
    const b = await s.backports();
    const p = await s.probe(b.bin);
    if (p.ok && mttcgSafe(p.version)) {
      return {
        ...b,
        version: p.version,
        source: 'bookworm-backports',
        why: `${sysWords}; this one is cached from bookworm-backports`,
      };
    }
    unusable = p.ok ? `it is ${p.version.text}` : `it does not run: ${p.why}`;
  } catch (e) {
    unusable = (e as Error).message;
  }
  if (s.system && sys?.ok) {
    const fallback =
      `QEMU ${sys.version.text} is older than ${MIN} and the bookworm-backports QEMU is not usable (${unusable}), ` +
      `so guests run single-threaded TCG (unless --tcg multi): their vCPUs take turns and two syscalls never run at once`;
    return { bin: s.system, dataDirs: [], version: sys.version, source: 'system', why: sysWords, fallback };
  }
  throw new EnvironmentError(
    `no working QEMU: ${sysWords}, and the bookworm-backports QEMU is not usable (${unusable}); ` +
      'install with: apt-get install -y --no-install-recommends qemu-system-x86 (or set TRACEFS_REGRESS_QEMU)',
  );
}

/** The real sources on this host: the environment, PATH, `--version` runs and the backports cache. */
export function hostQemuSources(log: (m: string) => void): QemuSources {
  return {
    explicit: process.env.TRACEFS_REGRESS_QEMU || undefined,
    system: findInPath('qemu-system-x86_64'),
    probe: probeQemu,
    backports: () => resolveBackportsQemu(log),
  };
}

/** "QEMU 10.0.2 /path/qemu-system-x86_64 (why)" for the `vm` log. */
export function describeQemu(c: QemuChoice): string {
  return `QEMU ${c.version.text} ${c.bin} (${c.source}: ${c.why})`;
}
