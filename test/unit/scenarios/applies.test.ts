// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';
import { applicableKinds, kindExclusion } from '../../../src/scenarios/applies.js';
import { unmet } from '../../../src/runner/run-suite.js';
import { PROBE_KINDS, type Feature } from '../../../src/model.js';
import type { Scenario } from '../../../src/scenarios/types.js';
import type { Tracefs } from '../../../src/tracefs/types.js';

const byId = (id: string) => CATALOGUE.find((s) => s.id === id)!;
const planted = (o: Partial<Scenario>) => ({ id: 'planted', requires: [], ...o }) as Scenario;
const EVERY_FEATURE: Feature[] = [
  'kprobe_events',
  'uprobe_events',
  'dynamic_events',
  'synthetic_events',
  'fprobe_events',
  'eprobe_events',
  'instances',
  'drop_caches',
];
/** A kernel with everything: what is left out is left out by the scenario's metadata alone. */
const everything = { features: new Set(EVERY_FEATURE) } as unknown as Tracefs;

describe('which kinds a scenario applies to', () => {
  it('race-getdents-sibling[synthetic] is a SKIP with its reason (synthetic events have no group of their own)', () => {
    const s = byId('race-getdents-sibling');
    expect(unmet(everything, s, 'synthetic')).toBe(
      "race-getdents-sibling needs a group of its own; synthetic events all live in the kernel's shared group 'synthetic'",
    );
    // fprobe and eprobe take a group in their definition (f:GRP/EV, e:GRP/EV), as kprobe and uprobe do.
    for (const k of ['kprobe', 'uprobe', 'fprobe', 'eprobe'] as const) expect(unmet(everything, s, k)).toBeUndefined();
    expect(applicableKinds(s, PROBE_KINDS)).toEqual(['kprobe', 'uprobe', 'fprobe', 'eprobe']);
  });

  it('every scenario that creates a sibling to keep its group alive says it needs a group of its own', () => {
    for (const s of CATALOGUE.filter((x) => x.racePlan?.sibling)) expect(s.flags, s.id).toContain('own-group');
  });

  it('the rule is the flag against the kind, not a scenario name (planted scenarios)', () => {
    expect(kindExclusion(planted({ flags: ['own-group'] }), 'synthetic')).toMatch(/planted needs a group of its own/);
    expect(kindExclusion(planted({ flags: ['own-group'] }), 'eprobe')).toBeUndefined();
    expect(kindExclusion(planted({}), 'synthetic')).toBeUndefined();
    expect(kindExclusion(planted({ excludeKinds: ['uprobe'] }), 'uprobe')).toBe(
      'planted does not apply to uprobe events',
    );
  });

  it('every other variant of the catalogue applies on a kernel with everything (nothing else is left out)', () => {
    const out = CATALOGUE.flatMap((s) =>
      PROBE_KINDS.filter((k) => unmet(everything, s, k)).map((k) => `${s.id}[${k}]`),
    );
    expect(out).toEqual(['race-getdents-sibling[synthetic]', 'race-instances[synthetic]']);
  });
});
