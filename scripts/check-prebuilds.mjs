// SPDX-License-Identifier: GPL-2.0-only
// `npm pack`'s prepack step: a tarball must carry a prebuilt addon for
// linux-x64 (so `npm install -g` needs no compiler there), made from the
// native sources it ships. Refuse to pack a missing or stale one rather than
// compile on every pack: `npm run prebuildify` makes it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = path.join(root, 'prebuilds', 'linux-x64');
const builds = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.node')) : [];
const sources = [
  'binding.gyp',
  ...fs.readdirSync(path.join(root, 'native'), { recursive: true }).map((f) => `native/${f}`),
]
  .map((f) => path.join(root, f))
  .filter((f) => fs.statSync(f).isFile());
const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
const fail = (why) => {
  process.stderr.write(`prepack: ${why}. Fix: npm run prebuildify (needs python3, make, g++), then pack again.\n`);
  process.exit(1);
};
if (!builds.length) fail(`no prebuilt addon in ${path.relative(root, dir)}/`);
for (const b of builds) {
  if (fs.statSync(path.join(dir, b)).mtimeMs < newest)
    fail(`prebuilds/linux-x64/${b} is older than native/ or binding.gyp`);
}
process.stderr.write(`prepack: prebuilds/linux-x64/${builds.join(', ')} is current\n`);
