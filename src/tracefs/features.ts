// SPDX-License-Identifier: GPL-2.0-only
// What this kernel's tracefs offers, read without writing anything.
import fs from 'node:fs';
import { EnvironmentError } from '../errors.js';
import { native, isErr, listDir, readText } from '../native/index.js';
import { type Feature, PROBE_KINDS, type ProbeKind } from '../model.js';
import { DETECTED, type FeatureProbeInput } from './feature-table.js';

export type { FeatureProbeInput };

/** The features FEATURE_TABLE's detectors find on this tracefs. */
export function detectFeatures(input: FeatureProbeInput): Set<Feature> {
  const f = new Set<Feature>();
  for (const r of DETECTED) if (r.detect(input)) f.add(r.name);
  return f;
}

/** Where the config is known, it decides the features whose README text is shared (FeatureRow.configDecides). */
export function refineWithConfig(features: Set<Feature>, config: Map<string, string> | undefined): Set<Feature> {
  if (!config) return features;
  const out = new Set(features);
  for (const r of DETECTED) if (r.configDecides && config.get(`CONFIG_${r.option}`) !== 'y') out.delete(r.name);
  return out;
}

/** The control feature each probe kind needs. */
export const KIND_FEATURE: Record<ProbeKind, Feature> = {
  kprobe: 'kprobe_events',
  uprobe: 'uprobe_events',
  fprobe: 'fprobe_events',
  eprobe: 'eprobe_events',
  synthetic: 'synthetic_events',
};

export function supportedKinds(features: Set<Feature>): ProbeKind[] {
  return PROBE_KINDS.filter((k) => features.has(KIND_FEATURE[k]));
}

/**
 * Reads the root's listing and README through the addon (beneath the
 * registered root fd, see open.ts), and whether drop_caches is writable.
 */
export function readFeatureInput(root: string): FeatureProbeInput {
  const text = readText(native, `${root}/README`);
  // An old or odd tracefs without a README: features come from the file list alone.
  const readme = isErr(text) ? '' : text;
  const entries = listDir(native, root);
  if (isErr(entries)) throw new EnvironmentError(`cannot list tracefs at ${root}: ${entries.code}`);
  let dropCachesWritable = false;
  try {
    fs.accessSync('/proc/sys/vm/drop_caches', fs.constants.W_OK);
    dropCachesWritable = true;
  } catch {
    // not root, or a container with a read-only /proc/sys
  }
  return { entries: new Set(entries), readme, dropCachesWritable };
}
