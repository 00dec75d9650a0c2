// SPDX-License-Identifier: GPL-2.0-only
// The one file the lkml reporter reads: a result's reproducer, from the
// report's reproDir (run --repro-dir writes it; vm --repro-dir brings it to
// the host). Only a regular file of the basename the report names, and not a
// huge one: a report is data, and a JSON report may come from anywhere.
import fs from 'node:fs';
import path from 'node:path';
import type { RunReport, ScenarioResult } from './types.js';

/** Larger than any generated reproducer (a few hundred lines). */
const MAX_REPRO_BYTES = 256 * 1024;

export function readReproducer(report: RunReport, r: ScenarioResult): string | undefined {
  if (!report.reproDir || !r.reproducer) return undefined;
  const file = path.join(report.reproDir, path.basename(r.reproducer.file));
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_REPRO_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
