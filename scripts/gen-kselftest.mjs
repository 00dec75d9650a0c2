// SPDX-License-Identifier: GPL-2.0-only
// Writes kselftest/config from the FEATURES table
// (src/tracefs/feature-table.ts), through the compiled dist/. Run it as
// `npm run gen:kselftest`, which compiles first; a unit test fails while the
// file differs from the table.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KSELFTEST_CONFIG, renderKselftestConfig } from '../dist/tracefs/feature-table.js';

const file = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), KSELFTEST_CONFIG);
const text = renderKselftestConfig();
const current = fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
if (!current) fs.writeFileSync(file, text);
console.log(`${KSELFTEST_CONFIG}: ${current ? 'up to date' : 'written'}`);
