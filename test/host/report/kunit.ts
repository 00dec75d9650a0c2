// SPDX-License-Identifier: GPL-2.0-only
// kunit(): the kernel's own tools/testing/kunit/kunit_parser.py, when cached,
// as a second judge of our KTAP beside ktap-parser.ts. It runs python3, so it
// lives with the host tests; live and vm tests use it too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** The Debian linux-source tree the bootstrap extracted, if it is there. */
function kunitDir(): string | undefined {
  const base = path.join(os.homedir(), '.cache', 'tracefs-regress', 'src');
  if (!fs.existsSync(base)) return undefined;
  for (const v of fs.readdirSync(base)) {
    const top = path.join(base, v);
    for (const t of fs.readdirSync(top)) {
      const d = path.join(top, t, 'tools', 'testing', 'kunit');
      if (fs.existsSync(path.join(d, 'kunit_parser.py'))) return d;
    }
  }
  return undefined;
}

/** Where kunit_parser.py is; undefined (and a printed reason) when the source tree is not cached. */
export const KUNIT = kunitDir();
if (!KUNIT)
  process.stderr.write('SKIP kunit_parser.py checks: no linux-source tree under ~/.cache/tracefs-regress/src\n');
if (!KUNIT)
  process.stderr.write('SKIP kunit_parser.py check: no linux-source tree under ~/.cache/tracefs-regress/src\n');

const PY = `
import sys, json
sys.path.insert(0, sys.argv[1])
import kunit_parser
t = kunit_parser.parse_run_tests(sys.stdin.read().splitlines())
def walk(x):
  return {'name': x.name, 'status': x.status.name, 'errors': x.counts.errors, 'subtests': [walk(s) for s in x.subtests]}
print(json.dumps({'root': walk(t), 'errors': t.counts.errors, 'passed': t.counts.passed, 'failed': t.counts.failed, 'skipped': t.counts.skipped}))
`;

export interface KunitOut {
  root: { subtests: { name: string; status: string }[] };
  errors: number;
  passed: number;
  failed: number;
  skipped: number;
}

/** The kernel's kunit_parser.py over text: its error count, totals and top-level tests. */
export function kunit(text: string): KunitOut {
  const out = execFileSync('python3', ['-c', PY, KUNIT!], { input: text, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as KunitOut;
}
