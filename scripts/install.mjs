// SPDX-License-Identifier: GPL-2.0-only
// npm's install step: node-gyp-build keeps a prebuilt addon from prebuilds/
// when one loads here, and only otherwise runs `node-gyp rebuild`. When that
// build fails, say why in one place (no prebuild for this machine, and what
// the build needs), instead of leaving the user a page of gyp output.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

const r = spawnSync(process.execPath, [require.resolve('node-gyp-build/bin.js')], { cwd: root, stdio: 'inherit' });
if (r.status === 0) process.exit(0);

const onPath = (prog) =>
  (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, prog)));
const needs = ['python3', 'make', 'g++'];
const missing = needs.filter((p) => !onPath(p));
const prebuildDir = path.join(root, 'prebuilds');
const have = fs.existsSync(prebuildDir)
  ? fs.readdirSync(prebuildDir).flatMap((d) => fs.readdirSync(path.join(prebuildDir, d)).map((f) => `${d}/${f}`))
  : [];
process.stderr.write(
  `\ntracefs-regress: no prebuilt native addon loads on this machine (${process.platform}-${process.arch}, ` +
    `Node ${process.versions.node}; the package carries: ${have.join(', ') || 'none'}), ` +
    `and building it from source failed. The build needs ${needs.join(', ')} on PATH` +
    `${missing.length ? ` (missing here: ${missing.join(', ')})` : ''}. ` +
    'Fix: install them (Debian/Ubuntu: apt-get install python3 make g++) and install again, ' +
    'or pack the package with a prebuild for this platform (`npm run prebuildify` on a matching machine).\n',
);
process.exit(r.status ?? 1);
