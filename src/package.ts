// SPDX-License-Identifier: GPL-2.0-only
// Where this package lives and what version it is. Loads nothing (no addon,
// no tracefs), so `--help`, `vm` and `kernel` work when the addon did not build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: this file is src/package.ts or dist/package.js, one level below it. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let version: string | undefined;

/** package.json's version, read once. */
export function toolVersion(): string {
  version ??= (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  return version;
}
