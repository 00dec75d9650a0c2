// SPDX-License-Identifier: GPL-2.0-only
import { Command, Option } from 'commander';
import { CATALOGUE } from '../../scenarios/catalogue.js';
import { openTracefs } from '../../tracefs/open.js';
import { DEFAULT_KINDS, selectScenarios } from '../../runner/select.js';
import { unmet } from '../../runner/run-suite.js';
import { PROBE_KINDS, type ProbeKind } from '../../model.js';
import type { Scenario } from '../../scenarios/types.js';
import { applicableKinds } from '../../scenarios/applies.js';
import type { Tracefs } from '../../tracefs/types.js';
import { onTeardown } from '../../runner/teardown.js';
import { repeatable } from '../parse.js';
import { skipEntryFor, skipReason } from '../../expectations/apply.js';
import { shippedCrashers } from '../../expectations/shipped.js';
import type { ExpectEntry } from '../../expectations/types.js';

/** One scenario in `list --format json`. */
export interface ListEntry {
  id: string;
  title: string;
  race: boolean;
  /** tracefs features it needs besides its probe kind's. */
  requires: string[];
  /** Upstream commits / CVEs it guards against. */
  references: string[];
  /** Probe kinds it applies to; `run` takes kprobe and uprobe unless --probe says otherwise. */
  kinds: ProbeKind[];
  /** Per kind in `kinds`: true when it runs here; null when the kernel could not be checked (see `why`). */
  meets: Partial<Record<ProbeKind, boolean>> | null;
  /** Why a kind does not run here (a SKIP's reason), or why nothing was checked. */
  unmet?: Partial<Record<ProbeKind, string>>;
  /** Kinds this kernel meets that `run` still skips by default: a known crasher of this kernel (the SKIP's reason). */
  crasher?: Partial<Record<ProbeKind, string>>;
  why?: string;
}

export interface ListDocument {
  /** The kernel checked against, or null (then every entry's `why` says why). */
  kernel: { release: string; machine: string; tracefs: string; kinds: ProbeKind[] } | null;
  defaultKinds: ProbeKind[];
  scenarios: ListEntry[];
}

export function listDocument(
  scenarios: readonly Scenario[],
  t: Tracefs | undefined,
  why: string,
  crashers: readonly ExpectEntry[] = [],
): ListDocument {
  return {
    kernel: t ? { release: t.kernel.release, machine: t.kernel.machine, tracefs: t.root, kinds: t.kinds } : null,
    defaultKinds: DEFAULT_KINDS,
    scenarios: scenarios.map((s) => {
      const base = {
        id: s.id,
        title: s.title,
        race: !!s.race,
        requires: [...s.requires],
        references: [...s.references],
        kinds: applicableKinds(s, PROBE_KINDS),
      };
      if (!t) return { ...base, meets: null, why };
      const meets: Partial<Record<ProbeKind, boolean>> = {};
      const missing: Partial<Record<ProbeKind, string>> = {};
      const crasher: Partial<Record<ProbeKind, string>> = {};
      for (const k of base.kinds) {
        const miss = unmet(t, s, k);
        meets[k] = !miss;
        if (miss) missing[k] = miss;
        const known = miss ? undefined : skipEntryFor(crashers, s.id, k, t.kernel.release);
        if (known) crasher[k] = skipReason(known, t.kernel.release);
      }
      return {
        ...base,
        meets,
        ...(Object.keys(missing).length ? { unmet: missing } : {}),
        ...(Object.keys(crasher).length ? { crasher } : {}),
      };
    }),
  };
}

export function listText(doc: ListDocument, why: string): string {
  const out: string[] = [];
  for (const s of doc.scenarios) {
    out.push(`${s.id}${s.race ? '  (race)' : ''}`);
    out.push(`  ${s.title}`);
    out.push(`  requires: ${['<probe kind>', ...s.requires].join(', ')}`);
    for (const ref of s.references) out.push(`  guards: ${ref}`);
    for (const [k, ok] of Object.entries(s.meets ?? {}) as [ProbeKind, boolean][]) {
      // Kinds this kernel lacks and `run` would not try by default are not worth a line.
      if (!DEFAULT_KINDS.includes(k) && !doc.kernel?.kinds.includes(k)) continue;
      const extra = DEFAULT_KINDS.includes(k) ? '' : ` (with --probe ${k})`;
      const crash = s.crasher?.[k];
      const here = crash ? `SKIP by default: ${crash}` : ok ? 'runs here' : `SKIP ${s.unmet?.[k]}`;
      out.push(`    ${s.id}[${k}]: ${here}${extra}`);
    }
  }
  if (!doc.kernel) out.push(`(not checked against this kernel: ${why})`);
  return out.join('\n') + '\n';
}

export function listCommand(): Command {
  return new Command('list')
    .description('list the scenarios, what each requires, and whether this kernel meets it')
    .option('--tracefs <path>', 'tracefs mount point')
    .addOption(repeatable('-s, --scenario <id|glob>', 'scenario id or glob, repeatable', 'all'))
    .addOption(
      repeatable('--exclude <id|glob>', 'leave out what this id or glob matches (after --scenario), repeatable'),
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((o: { tracefs?: string; scenario: string[]; exclude: string[]; format: 'text' | 'json' }) => {
      const scenarios = selectScenarios(CATALOGUE, o.scenario, o.exclude);
      let t: Tracefs | undefined;
      let why = '';
      try {
        t = openTracefs({ path: o.tracefs, writable: false, onTeardown });
      } catch (e) {
        why = (e as Error).message;
      }
      let crashers: ExpectEntry[] = [];
      try {
        crashers = shippedCrashers(CATALOGUE.map((s) => s.id));
      } catch (e) {
        process.stderr.write(`tracefs-regress: known crashers not checked: ${(e as Error).message}\n`);
      }
      const doc = listDocument(scenarios, t, why, crashers);
      process.stdout.write(o.format === 'json' ? JSON.stringify(doc, null, 2) + '\n' : listText(doc, why));
    });
}
