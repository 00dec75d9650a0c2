// SPDX-License-Identifier: GPL-2.0-only
// Whether a scenario applies to a probe kind at all, whatever the kernel has:
// decided from its metadata before anything is created, so a combination that
// cannot be built is a SKIP with its reason, never an ERROR from its setup.
import { FIXED_GROUP } from '../probes/definitions.js';
import type { ProbeKind } from '../model.js';
import type { Scenario } from './types.js';

/** Why `scenario` cannot run with `kind` events, or undefined when it can. */
export function kindExclusion(scenario: Scenario, kind: ProbeKind): string | undefined {
  if (scenario.excludeKinds?.includes(kind)) return `${scenario.id} does not apply to ${kind} events`;
  const fixed = FIXED_GROUP[kind];
  if (fixed !== undefined && scenario.flags?.includes('own-group'))
    return `${scenario.id} needs a group of its own; ${kind} events all live in the kernel's shared group '${fixed}'`;
  return undefined;
}

/** The kinds `scenario` can run with, in report order. */
export function applicableKinds(scenario: Scenario, kinds: readonly ProbeKind[]): ProbeKind[] {
  return kinds.filter((k) => kindExclusion(scenario, k) === undefined);
}
