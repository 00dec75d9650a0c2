// SPDX-License-Identifier: GPL-2.0-only
// A run without --repeat/--until-fail renders byte for byte as before the
// feature: the golden files were written by the reporters of the commit before
// it (GOLDEN_WRITE=1 against that code), and every format of a mixed, an
// interrupted and a --bail report must still match them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { render, FORMATS } from '../../../src/report/index.js';
import { fail, notRunTerm, pass, race, raceMulti, report, skip, unresolved, xfail } from './fixtures.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

const REPORTS = {
  mixed: report([pass, skip, fail, unresolved, race, raceMulti, xfail]),
  interrupted: report([{ ...race, cutShort: 'SIGINT' }, notRunTerm], { interrupted: 'SIGINT' }),
  passing: report([pass, skip]),
};

describe('no --repeat: every format as before', () => {
  for (const [name, rep] of Object.entries(REPORTS)) {
    // markdown and html came later (the matrix's tables): no "before" to compare with.
    for (const format of FORMATS.filter((f) => f !== 'markdown' && f !== 'html')) {
      for (const liveShown of format === 'pretty' ? [false, true] : [false]) {
        const file = path.join(DIR, `${name}.${format}${liveShown ? '.live' : ''}.txt`);
        it(`${name} as ${format}${liveShown ? ' (recap after live lines)' : ''}`, () => {
          const text = render(format, rep, { color: false, liveShown });
          if (process.env.GOLDEN_WRITE === '1') fs.writeFileSync(file, text);
          expect(text).toBe(fs.readFileSync(file, 'utf8'));
        });
      }
    }
  }
});
