#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// Measures what OOPS_GRACE_MS (src/vm/boot/watch.ts) must cover: in a guest
// that does not hang, the longest stretch without progress (between two
// result lines, as the host sees them arrive), and the time from the last
// result to the end of `vm` (report written to the share, sync, poweroff).
// Not a test: run it under the heavy-work lock, on an idle-ish machine.
//   node scripts/measure-grace.mjs --kernel PATH|debian:6.12 [--boots 2] [-- run args]
import { execa } from 'execa';
import path from 'node:path';
import { parseArgs } from 'node:util';

// Strict: an unknown or misspelt option is an error, not a silent default;
// everything after `--` goes to `run` in the guest.
const { values: opt, positionals: runArgs } = parseArgs({
  allowPositionals: true,
  options: {
    kernel: { type: 'string', default: 'debian:6.12' },
    boots: { type: 'string', default: '2' },
  },
});
const kernel = opt.kernel;
const boots = Number(opt.boots);
if (!Number.isInteger(boots) || boots < 1) {
  process.stderr.write(`--boots ${opt.boots}: use a whole number of at least 1\n`);
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const RESULT = /^(PASS|FAIL|SKIP|UNRES\w*)\s+(\S+)/;

for (let i = 0; i < boots; i++) {
  const t0 = Date.now();
  const child = execa(
    process.execPath,
    [path.join(root, 'bin', 'tracefs-regress.js'), 'vm', '--kernel', kernel, '--', ...runArgs, '--format', 'json'],
    {
      reject: false,
      stdin: 'ignore',
      stdout: 'ignore',
      buffer: false,
    },
  );
  const results = [];
  let rest = '';
  child.stderr.on('data', (d) => {
    const parts = (rest + d.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const l of parts) {
      const m = RESULT.exec(l);
      if (m) results.push({ name: m[2], status: m[1], ms: Date.now() - t0 });
    }
  });
  const r = await child;
  const endMs = Date.now() - t0;
  let gap = { ms: 0, after: '(start)' };
  for (let k = 1; k < results.length; k++) {
    const g = results[k].ms - results[k - 1].ms;
    if (g > gap.ms) gap = { ms: g, after: results[k - 1].name, before: results[k].name };
  }
  const last = results.at(-1);
  console.log(
    JSON.stringify({
      boot: i + 1,
      exit: r.exitCode,
      results: results.length,
      firstResultS: results[0] ? results[0].ms / 1000 : null,
      longestGapS: gap.ms / 1000,
      gapBetween: `${gap.after} -> ${gap.before}`,
      lastResultToEndS: last ? (endMs - last.ms) / 1000 : null,
      totalS: endMs / 1000,
    }),
  );
}
