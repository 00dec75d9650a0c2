// SPDX-License-Identifier: GPL-2.0-only
// Test-only builds of a race reproducer: what `-DTFSR_SELFTEST` once compiled
// into every program now lives here, so a reproducer the tool writes carries
// no test code. Two kinds:
//  - faults: fixtures/race-selftest.c spliced around the race program adds
//    `-X die|stall|ctl-die`, a worker or the controller that a fault kills
//    or blocks inside a system call, for the watchdog to report;
//  - inverted: the rule table with ENOENT and not-ENOENT swapped, rendered
//    through renderRace's `rules`, so a correct kernel "reproduces".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RACE_RULES, type RaceRule } from '../../../src/repro/race-rules.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'race-selftest.c');
const MARKER = '/* @@ race program @@ */\n';
/** The first line of the race program in a rendered reproducer (src/repro/c/race.c). */
const RACE_PROGRAM = '/* ---- race program (src/repro/c/race.c)';

/** `text` (a rendered race reproducer) with the self-test's faults spliced around its race program. */
export function withFaults(text: string): string {
  const fixture = fs.readFileSync(FIXTURE, 'utf8');
  const [before, after] = fixture.split(MARKER);
  const at = text.indexOf(RACE_PROGRAM);
  if (at < 0 || before === undefined || after === undefined) throw new Error('race-selftest: no splice point');
  return `${text.slice(0, at)}${before}${text.slice(at)}\n${after}`;
}

/** Every ENOENT rule inverted, the expected result saying so ("anything but ENOENT"). */
export const INVERTED_RULES: readonly RaceRule[] = RACE_RULES.map((r) =>
  r.test === 'enoent' || r.test === 'not-enoent'
    ? { ...r, test: r.test === 'enoent' ? 'not-enoent' : 'enoent', expected: `anything but ${r.expected}` }
    : r,
);
