// SPDX-License-Identifier: GPL-2.0-only
// `kernel build --coverage` instruments only the code this project tests:
// fs/tracefs/ whole, and the trace-event, dynamic-event, probe and trigger
// objects of kernel/trace/, for gcov and KCOV alike. The Makefile lines are a
// tree edit after the patches (kbuild reads GCOV_PROFILE_<obj>.o and
// KCOV_INSTRUMENT_<obj>.o wherever they sit in the Makefile).
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** kernel/trace objects instrumented, one per line in the Makefile. */
export const TRACE_OBJECTS = [
  'trace_events',
  'trace_events_filter',
  'trace_events_trigger',
  'trace_events_hist',
  'trace_events_synth',
  'trace_events_user',
  'trace_dynevent',
  'trace_probe',
  'trace_kprobe',
  'trace_uprobe',
  'trace_eprobe',
  'trace_fprobe',
] as const;

const BEGIN = '# tracefs-regress: coverage instrumentation (kernel build --coverage)';
const END = '# tracefs-regress: end of coverage instrumentation';

export interface MakefileEdit {
  /** Relative to the tree. */
  file: string;
  lines: string[];
}

export const COVERAGE_EDITS: readonly MakefileEdit[] = [
  { file: 'fs/tracefs/Makefile', lines: ['GCOV_PROFILE := y', 'KCOV_INSTRUMENT := y'] },
  {
    file: 'kernel/trace/Makefile',
    lines: TRACE_OBJECTS.flatMap((o) => [`GCOV_PROFILE_${o}.o := y`, `KCOV_INSTRUMENT_${o}.o := y`]),
  },
];

/** The Makefile with our block at its end; a second call gives the same text. */
export function withCoverageBlock(text: string, lines: string[]): string {
  const start = text.indexOf(BEGIN);
  let base = text;
  if (start >= 0) {
    const end = text.indexOf(END, start);
    if (end < 0) throw new UsageError(`a Makefile has '${BEGIN}' but not its end marker: remove the tree and build again`);
    base = text.slice(0, start) + text.slice(end + END.length).replace(/^\n/, '');
  }
  if (base.length && !base.endsWith('\n')) base += '\n';
  return `${base}${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

/**
 * Apply the edits to a tree that is a hard-linked copy of the pristine source:
 * each file is unlinked and written anew, so the pristine copy keeps its text.
 */
export function instrumentTree(tree: string, edits: readonly MakefileEdit[] = COVERAGE_EDITS): string[] {
  for (const e of edits) {
    if (!fs.existsSync(path.join(tree, e.file))) {
      throw new UsageError(`--coverage: ${e.file} is not in ${tree}: is it a Linux source tree with tracefs?`);
    }
  }
  const changed: string[] = [];
  for (const e of edits) {
    const f = path.join(tree, e.file);
    const old = fs.readFileSync(f, 'utf8');
    const next = withCoverageBlock(old, e.lines);
    if (next === old) continue;
    const mode = fs.statSync(f).mode;
    fs.unlinkSync(f);
    fs.writeFileSync(f, next, { mode });
    changed.push(e.file);
  }
  return changed;
}

/** Part of the tree key: a change of the instrumented set makes a new tree. */
export function coverageTreeKey(edits: readonly MakefileEdit[] = COVERAGE_EDITS): string {
  return JSON.stringify(edits);
}
