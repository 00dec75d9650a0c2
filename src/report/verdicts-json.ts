// SPDX-License-Identifier: GPL-2.0-only
// The JSON matrix document's `verdicts` (schema/report.schema.json
// $defs/verdicts): the kernel x scenario cells of matrixVerdicts, each boot
// pointing at its run in `runs` (whose results carry the evidence and console).
import type { KnownBugLabel, MatrixVerdicts } from './verdicts.js';

const ms3 = (s: number): number => Math.round(s * 1000) / 1000;

const labelJson = (l: KnownBugLabel) => ({
  id: l.id,
  why: l.why,
  ...(l.fix ? { fix: l.fix } : {}),
  ...(l.reference ? { reference: l.reference } : {}),
});

export function verdictsJson(v: MatrixVerdicts): Record<string, unknown> {
  return {
    boots: v.boots,
    kernels: v.kernels.map((k) => ({
      kernel: k.kernel,
      boots: k.boots,
      reported: k.reported,
      accelerators: [...k.accelerators],
    })),
    scenarios: [...v.scenarios],
    cells: v.cells.map((c) => ({
      kernel: c.kernel,
      scenario: c.scenario,
      status: c.status,
      caught: c.caught,
      boots: c.boots,
      ran: c.ran,
      ...(c.medianSeconds !== undefined ? { medianSeconds: ms3(c.medianSeconds) } : {}),
      ...(c.label ? { label: labelJson(c.label) } : {}),
      perBoot: c.perBoot.map((b) => ({
        boot: b.boot,
        ...(b.run !== undefined ? { run: b.run } : {}),
        status: b.status,
        ...(b.seconds !== undefined ? { seconds: ms3(b.seconds) } : {}),
      })),
    })),
  };
}
