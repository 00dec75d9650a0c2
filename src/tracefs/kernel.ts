// Kernel version and configuration, for reports and for `doctor`.
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import type { KernelInfo } from './types.js';

export function parseRelease(release: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [0, 0, 0];
}

/** CONFIG_X=value lines; "# CONFIG_X is not set" is recorded as 'n'. */
export function parseKernelConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const set = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (set) {
      out.set(set[1]!, set[2]!);
      continue;
    }
    const unset = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/.exec(line);
    if (unset) out.set(unset[1]!, 'n');
  }
  return out;
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
