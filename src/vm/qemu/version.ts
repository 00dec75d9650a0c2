// SPDX-License-Identifier: GPL-2.0-only
// Which QEMU a binary is, from its own `--version`, and whether it runs at
// all: a QEMU unpacked from another suite may lack a library, and that must
// surface as a reason to fall back, not as a guest that never boots.
import { execa } from 'execa';

export interface QemuVersion {
  major: number;
  minor: number;
  micro: number;
  /** "10.0.2" */
  text: string;
}

/** "QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2...)" -> 10.0.2; undefined when the text is not QEMU's. */
export function parseQemuVersion(out: string): QemuVersion | undefined {
  const m = /QEMU emulator version (\d+)\.(\d+)(?:\.(\d+))?/.exec(out);
  if (!m) return undefined;
  const [major, minor, micro] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  return { major, minor, micro, text: `${major}.${minor}.${micro}` };
}

export function versionAtLeast(v: QemuVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

/**
 * The first QEMU whose multi-threaded TCG mostly survives kernel text
 * patching: older ones raise `Oops: int3` in guests (fixed in 8.1 per
 * ClangBuiltLinux boot-utils issue 111; 2 of 5 boots under Debian 12's 7.2
 * here). 10.0.2 still did once (1 of 5 Debian 6.18 boots): vm reboots such a
 * guest once (emulatorInt3 in outcome.ts).
 */
export const MTTCG_MIN = { major: 8, minor: 1, text: '8.1' } as const;

export function mttcgSafe(v: QemuVersion | undefined): boolean {
  return v !== undefined && versionAtLeast(v, MTTCG_MIN.major, MTTCG_MIN.minor);
}

export type QemuProbe = { ok: true; version: QemuVersion } | { ok: false; why: string };

/** The reason a `--version` run failed, in words that name the fix. */
export function probeFailure(r: { exitCode?: number; stdout: string; stderr: string; code?: string }): string {
  if (r.code === 'ENOENT') return 'not found';
  if (r.code === 'EACCES') return 'not executable';
  const lib = /error while loading shared libraries: ([^:\s]+)/.exec(r.stderr);
  if (lib) return `missing library ${lib[1]}; Debian 12's qemu-system-x86 package brings the libraries it needs`;
  const last = r.stderr.trim().split('\n').pop();
  if (r.exitCode !== 0) return `--version exited ${r.exitCode}${last ? `: ${last}` : ''}`;
  return `--version printed no QEMU version: ${JSON.stringify(r.stdout.slice(0, 80))}`;
}

/** Runs `bin --version`: its version, or why it does not run. */
export async function probeQemu(bin: string): Promise<QemuProbe> {
  const r = await execa(bin, ['--version'], { reject: false, timeout: 20_000, stdin: 'ignore' });
  const version = r.exitCode === 0 ? parseQemuVersion(String(r.stdout)) : undefined;
  if (version) return { ok: true, version };
  return {
    ok: false,
    why: probeFailure({
      exitCode: r.exitCode,
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      code: (r as { code?: string }).code,
    }),
  };
}
