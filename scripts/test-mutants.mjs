#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// npm run test:mutants [-- options]: `tracefs-regress kernel selftest` on a
// fresh dist/. The VM guest runs dist/, so dist must match src before anything
// boots; the self-test itself lives in src/kernel/selftest/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => process.stderr.write(`test-mutants: ${m}\n`);

say('compiling dist/ (tsc -p tsconfig.build.json)');
const tsc = await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, reject: false, all: true });
for (const f of ['dist/kernel/selftest/run.js', 'dist/cli/main.js']) {
  if (!fs.existsSync(path.join(root, f))) {
    say(`tsc did not produce ${f}:\n${tsc.all}`);
    process.exit(2);
  }
}
if (tsc.exitCode !== 0)
  say(`tsc reported type errors (dist/ written anyway):\n${tsc.all.split('\n').slice(0, 10).join('\n')}`);

// A signal reaches the child too (same process group, or forwarded): it stops
// its guest and exits 130; this script waits for it and passes its code on.
const child = execa(
  process.execPath,
  [path.join(root, 'bin/tracefs-regress.js'), 'kernel', 'selftest', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    reject: false,
  },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
const r = await child;
process.exitCode = r.exitCode ?? 128 + (r.signal === 'SIGTERM' ? 15 : 2);
