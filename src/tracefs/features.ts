// What this kernel's tracefs offers, read without writing anything.
import fs from 'node:fs';
import { EnvironmentError } from '../errors.js';
import { native, isErr, listDir, readText } from '../native/index.js';
import { type Feature, PROBE_KINDS, type ProbeKind } from '../model.js';

export interface FeatureProbeInput {
  /** Files and dirs present at the tracefs root. */
  entries: Set<string>;
  readme: string;
  dropCachesWritable: boolean;
}

/** The README lines that advertise fprobe and eprobe syntax (as ftracetest's `requires` does). */
const FPROBE_README = /\bf\[:\[<group>\/\]\[<event>\]\]/;
const EPROBE_README = /\be\[:\[<group>\/\]\[<event>\]\]/;

export function detectFeatures(input: FeatureProbeInput): Set<Feature> {
  const f = new Set<Feature>();
  const has = (e: string) => input.entries.has(e);
  if (has('kprobe_events')) f.add('kprobe_events');
  if (has('uprobe_events')) f.add('uprobe_events');
  if (has('dynamic_events')) f.add('dynamic_events');
  if (has('synthetic_events')) f.add('synthetic_events');
  if (has('dynamic_events') && FPROBE_README.test(input.readme)) f.add('fprobe_events');
  if (has('dynamic_events') && EPROBE_README.test(input.readme)) f.add('eprobe_events');
  if (has('instances')) f.add('instances');
  if (input.dropCachesWritable) f.add('drop_caches');
  return f;
}

/**
 * The README's syntax summary is shared text: a kernel built without eprobes
 * still advertises `e[:...]` (seen on 6.18 with CONFIG_EPROBE_EVENTS=n, where
 * creating one gives EINVAL). Where the config is known, it decides.
 */
const CONFIG_OF: Partial<Record<Feature, string>> = {
  fprobe_events: 'CONFIG_FPROBE_EVENTS',
  eprobe_events: 'CONFIG_EPROBE_EVENTS',
};

export function refineWithConfig(features: Set<Feature>, config: Map<string, string> | undefined): Set<Feature> {
  if (!config) return features;
  const out = new Set(features);
  for (const [f, opt] of Object.entries(CONFIG_OF) as [Feature, string][]) {
    const v = config.get(opt);
    if (v !== 'y') out.delete(f);
  }
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
