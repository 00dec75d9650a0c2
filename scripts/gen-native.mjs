// SPDX-License-Identifier: GPL-2.0-only
// Writes native/race/params.gen.h from the race parameter table
// (src/native/race-params.ts), through the compiled dist/. Run it as
// `npm run gen:native`, which compiles first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PARAMS_HEADER, renderRaceParamsHeader } from '../dist/native/render-race-params.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, PARAMS_HEADER);
const text = renderRaceParamsHeader();
const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
if (old === text) console.log(`${PARAMS_HEADER}: up to date`);
else {
  fs.writeFileSync(file, text);
  console.log(`${PARAMS_HEADER}: written`);
}
