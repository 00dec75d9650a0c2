// SPDX-License-Identifier: GPL-2.0-only
// debian:latest (7.x): the control for the 6.18 finding. The race scenarios
// that oops Debian's 6.18.15 (test/vm/30) run here under the same default
// mode, and each must pass: the bug is in 6.18.y, not in what the races do.
import { expect, it } from 'vitest';
import { CATALOGUE } from '../../src/scenarios/catalogue.js';
import { describeVm } from './helpers.js';

const races = CATALOGUE.filter((s) => s.race).map((s) => s.id);

describeVm(
  'vm debian:latest, race scenarios with uprobes',
  ['--kernel', 'debian:latest'],
  [...races.flatMap((id) => ['--scenario', id]), '--probe', 'uprobe'],
  900_000,
  (run) => {
    it('boots a 7.x kernel and every race scenario passes', () => {
      expect(run().report.env.kernel.release).toMatch(/^[7-9]\.\d+\./);
      const got = run().report.results.map((r) => `${r.name}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
      expect(
        got.sort(),
        JSON.stringify(
          run().report.results.filter((r) => r.status !== 'PASS'),
          null,
          2,
        ),
      ).toEqual(races.map((id) => `${id}[uprobe]: PASS`).sort());
      expect(run().exitCode).toBe(0);
    });
  },
);
