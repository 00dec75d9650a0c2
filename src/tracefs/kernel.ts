// SPDX-License-Identifier: GPL-2.0-only
// Kernel version and configuration, for reports and for `doctor`.
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import { parseKconfig } from '../util/kconfig.js';
import type { KernelInfo } from './types.js';

export function parseRelease(release: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [0, 0, 0];
}

/** util/kconfig.ts's parse, keyed by the full CONFIG_X name as reports and `doctor` print it. */
export function parseKernelConfig(text: string): Map<string, string> {
  return new Map([...parseKconfig(text)].map(([name, value]) => [`CONFIG_${name}`, value]));
}

function readConfig(release: string): { source: string; text: string } | undefined {
  try {
    return { source: '/proc/config.gz', text: zlib.gunzipSync(fs.readFileSync('/proc/config.gz')).toString('utf8') };
  } catch {
    // no IKCONFIG_PROC: fall through to the distribution's copy
  }
  for (const p of [`/boot/config-${release}`, `/lib/modules/${release}/config`]) {
    try {
      return { source: p, text: fs.readFileSync(p, 'utf8') };
    } catch {
      // try the next
    }
  }
  return undefined;
}

export function kernelInfo(): KernelInfo {
  const release = os.release();
  const info: KernelInfo = { release, version: os.version(), machine: os.machine(), numeric: parseRelease(release) };
  const cfg = readConfig(release);
  if (cfg) {
    info.configSource = cfg.source;
    info.config = parseKernelConfig(cfg.text);
  }
  return info;
}
