// SPDX-License-Identifier: GPL-2.0-only
import type { Feature, ProbeKind } from '../model.js';

export interface KernelInfo {
  release: string;
  version: string;
  machine: string;
  /** [major, minor, patch] parsed from release. */
  numeric: [number, number, number];
  /** Where the kernel config came from (/proc/config.gz, /boot/config-...), if found. */
  configSource?: string;
  /** CONFIG_* => value ('y', 'm', '"str"'), when a config was found. */
  config?: Map<string, string>;
}

export interface Tracefs {
  /** Mount point, e.g. /sys/kernel/tracing. */
  root: string;
  /** True when this process mounted it (and will unmount at exit). */
  mountedByUs: boolean;
  features: Set<Feature>;
  /** Probe kinds this kernel supports, in PROBE_KINDS order. */
  kinds: ProbeKind[];
  kernel: KernelInfo;
  /** Lines of tracefs README mentioning probe syntax (for diagnostics). */
  readmeHas(s: string): boolean;
}
