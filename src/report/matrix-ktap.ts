// SPDX-License-Identifier: GPL-2.0-only
// KTAP of a matrix with several boots per kernel: each kernel a subtest, each
// scenario one aggregate line (its worst status over the boots) with
// `# caught k/N`, the median seconds to the first failure, the known bug and
// each boot's status as diagnostics, and the first caught boot's evidence.
import type { RunReport, ScenarioResult } from './types.js';
import { diag, ktapName, resultDiagnostics, resultLine } from './ktap.js';
import { cellAt, cellLines, matrixVerdicts, type VerdictCell } from './verdicts.js';
import { isFailing } from './types.js';

/** The line of a cell: MISSING reads as KTAP's ERROR (no verdict), the rest as a result of that status. */
function aggregateLine(c: VerdictCell, n: number): string {
  const status = c.status === 'MISSING' ? 'UNRESOLVED' : c.status;
  return resultLine({ name: c.scenario, status } as ScenarioResult, n);
}

/** The evidence of the boot that decided the cell (its worst), as that boot's diagnostics. */
function decidingDiagnostics(c: VerdictCell, reports: readonly RunReport[]): string[] {
  const b = c.perBoot.find((x) => x.status === c.status && x.run !== undefined);
  const r = b && reports[b.run!]?.results.find((x) => x.name === c.scenario);
  if (!b || !r || c.status === 'PASS') return [];
  return resultDiagnostics(r, []).map((l) => diag(`boot ${b.boot}: ${l.replace(/^# /, '')}`));
}

export function renderKtapVerdicts(reports: readonly RunReport[]): string {
  const v = matrixVerdicts(reports);
  const tool = reports[0]?.tool;
  const out = ['KTAP version 1', `1..${v.kernels.length}`];
  v.kernels.forEach((k, ki) => {
    const sub = ['KTAP version 1', `1..${v.scenarios.length}`];
    sub.push(
      diag(
        `${tool ? `${tool.name} ${tool.version} on ` : ''}${k.kernel}: ${k.boots} boots (${k.reported} reported)` +
          (k.accelerators.length ? `, ${k.accelerators.join(', ')}` : ''),
      ),
    );
    let bad = k.reported < k.boots;
    v.scenarios.forEach((_, si) => {
      const c = cellAt(v, ki, si);
      if (c.status === 'MISSING' || isFailing(c.status)) bad = true;
      sub.push(...decidingDiagnostics(c, reports), ...cellLines(c).map(diag), aggregateLine(c, si + 1));
    });
    out.push(...sub.map((l) => `  ${l}`), `${bad ? 'not ok' : 'ok'} ${ki + 1} ${ktapName(k.kernel)}`);
  });
  return out.join('\n') + '\n';
}
