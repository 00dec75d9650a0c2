// SPDX-License-Identifier: GPL-2.0-only
// The kernel features the suite uses, each written once: its name, the
// CONFIG_ options it needs, and how a live tracefs shows it. From this table
// come the features a run detects and the SKIP reason of a missing one
// (tracefs/features.ts, runner/run-suite.ts), the options `doctor` checks on a
// host (cli/doctor/checks.ts), the tracing options a bug report quotes
// (report/config.ts), what vm demands of a custom kernel (vm/kernels/custom.ts) and
// kselftest/config (written by `npm run gen:kselftest`; a unit test fails
// when it is stale). Pure: no file is read here.
import type { Feature } from '../model.js';

export interface FeatureProbeInput {
  /** Files and dirs present at the tracefs root. */
  entries: Set<string>;
  readme: string;
  dropCachesWritable: boolean;
}

/** One CONFIG_ option (without the prefix), wanted =y. */
export interface ConfigNeed {
  name: string;
  /** Quoted in a bug report's config block: whether this kernel could make the suite's probes at all. */
  reported?: true;
  /** Not needed to run the suite (kept out of kselftest/config), though a host with the tracing options has it. */
  optional?: true;
}

export interface FeatureRow {
  /** A Feature a run detects, or a capability it relies on without detecting it. */
  name: Feature | 'tracefs' | 'user_events' | 'hist_triggers' | 'symbols' | 'ikconfig';
  /** A tracing option of the host (doctor compares these on a host), or support for reports and doctor inside a guest. */
  tracing: boolean;
  /** In kconfig dependency order. */
  config: readonly ConfigNeed[];
  /** How a live tracefs (its root listing and README) shows the feature; absent: the run does not detect it. */
  detect?: (input: FeatureProbeInput) => boolean;
  /** The SKIP reason when a variant needs the feature and the kernel lacks it. */
  missing?: string;
  /** The option that makes the feature, named in the SKIP reason. */
  option?: string;
  /**
   * Where the kernel's config is known, `option` decides over `detect`: the
   * README's syntax summary is shared text, and a kernel built without
   * eprobes still advertises `e[:...]` (seen on 6.18 with
   * CONFIG_EPROBE_EVENTS=n, where creating one gives EINVAL).
   */
  configDecides?: true;
}

/** The option without which there is no tracefs (fs/tracefs is built with it). */
export const TRACEFS_OPTION = 'TRACING';

/** The README lines that advertise fprobe and eprobe syntax (as ftracetest's `requires` does). */
const FPROBE_README = /\bf\[:\[<group>\/\]\[<event>\]\]/;
const EPROBE_README = /\be\[:\[<group>\/\]\[<event>\]\]/;

const entry = (name: string) => (i: FeatureProbeInput) => i.entries.has(name);
const notIn = (what: string) => `${what} not available in this kernel`;
/** An option a report quotes. */
const quoted = (name: string): ConfigNeed => ({ name, reported: true });

/** A kind of dynamic event shown by its control file at the tracefs root. */
function controlFile(name: Feature, option: string, config: ConfigNeed[]): FeatureRow {
  return { name, tracing: true, config, detect: entry(name), missing: notIn(name), option };
}

/** A probe kind created through dynamic_events, shown by its syntax line in the README; the config decides. */
function viaReadme(name: Feature, label: string, readme: RegExp, config: ConfigNeed[]): FeatureRow {
  const detect = (i: FeatureProbeInput) => i.entries.has('dynamic_events') && readme.test(i.readme);
  return {
    name,
    tracing: true,
    config,
    detect,
    missing: notIn(label),
    option: config.at(-1)!.name,
    configDecides: true,
  };
}

/** In the order kselftest/config and a report's config block list their options. */
export const FEATURE_TABLE: readonly FeatureRow[] = Object.freeze([
  {
    name: 'tracefs',
    tracing: true,
    option: TRACEFS_OPTION,
    // tracefs has its own mount point since 4.1; debugfs only adds the old path.
    config: [{ name: 'DEBUG_FS', optional: true }, quoted('FTRACE'), quoted(TRACEFS_OPTION)],
  },
  controlFile('kprobe_events', 'KPROBE_EVENTS', [quoted('KPROBES'), quoted('KPROBE_EVENTS')]),
  controlFile('uprobe_events', 'UPROBE_EVENTS', [quoted('UPROBES'), quoted('UPROBE_EVENTS')]),
  // PROBE_EVENTS (trace_probe.o, eprobes with it) is selected by any probe kind.
  controlFile('dynamic_events', 'DYNAMIC_EVENTS', [quoted('DYNAMIC_EVENTS'), { name: 'PROBE_EVENTS' }]),
  // fprobe events sit on the function tracer.
  viaReadme('fprobe_events', 'fprobe events', FPROBE_README, [
    { name: 'FUNCTION_TRACER' },
    { name: 'DYNAMIC_FTRACE' },
    { name: 'FPROBE' },
    quoted('FPROBE_EVENTS'),
  ]),
  viaReadme('eprobe_events', 'eprobe events', EPROBE_README, [quoted('EPROBE_EVENTS')]),
  controlFile('synthetic_events', 'SYNTH_EVENTS', [quoted('SYNTH_EVENTS')]),
  { name: 'user_events', tracing: true, config: [{ ...quoted('USER_EVENTS'), optional: true }] },
  // An event's hist file, which the race scenarios read when it is there.
  { name: 'hist_triggers', tracing: true, config: [quoted('HIST_TRIGGERS')] },
  {
    name: 'instances',
    tracing: true,
    config: [],
    detect: entry('instances'),
    missing: 'tracefs has no instances/ directory',
  },
  {
    name: 'drop_caches',
    tracing: true,
    config: [],
    detect: (i) => i.dropCachesWritable,
    missing: '/proc/sys/vm/drop_caches is not writable',
  },
  // Symbolic stack traces in the oops and KASAN reports the health oracle quotes.
  { name: 'symbols', tracing: false, config: [{ name: 'KALLSYMS' }, { name: 'KALLSYMS_ALL' }] },
  // /proc/config.gz: doctor and a report read the running kernel's own options.
  { name: 'ikconfig', tracing: false, config: [{ name: 'IKCONFIG' }, { name: 'IKCONFIG_PROC' }] },
] satisfies FeatureRow[]);

/** A row the run detects: its name is a Feature. */
export type DetectedRow = FeatureRow & {
  name: Feature;
  detect: (input: FeatureProbeInput) => boolean;
  missing: string;
};

/** The features a run detects, in table order. */
export const DETECTED: readonly DetectedRow[] = FEATURE_TABLE.filter((r): r is DetectedRow => r.detect !== undefined);

/** The row of a feature; every Feature has one (a unit test checks). */
export function featureRow(name: FeatureRow['name']): FeatureRow {
  return FEATURE_TABLE.find((r) => r.name === name)!;
}

/** Why a variant that needs the feature is skipped here: "kprobe_events not available in this kernel (CONFIG_KPROBE_EVENTS)". */
export function unavailableReason(f: Feature): string {
  const r = featureRow(f);
  return r.option ? `${r.missing} (CONFIG_${r.option})` : r.missing!;
}

/** The tracing options a host run relies on, without prefix: what doctor compares on a host. */
export const TRACING_OPTIONS: ReadonlySet<string> = new Set(
  FEATURE_TABLE.filter((r) => r.tracing).flatMap((r) => r.config.map((c) => c.name)),
);

/** The tracing options a bug report quotes, in table order. */
export const REPORTED_TRACING_OPTIONS: readonly string[] = FEATURE_TABLE.flatMap((r) =>
  r.config.filter((c) => c.reported).map((c) => c.name),
);

export const KSELFTEST_CONFIG = 'kselftest/config';

/** kselftest/config: every option the suite needs, =y, as the kernel's selftests list theirs. */
export function renderKselftestConfig(table: readonly FeatureRow[] = FEATURE_TABLE): string {
  const lines = table.flatMap((r) => r.config.filter((c) => !c.optional).map((c) => `CONFIG_${c.name}=y`));
  return `${lines.join('\n')}\n`;
}
