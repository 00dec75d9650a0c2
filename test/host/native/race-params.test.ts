// SPDX-License-Identifier: GPL-2.0-only
// The race parameter table is the one declaration: the checked-in C++
// header is its rendering, and both validators apply its limits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { native } from '../../../src/native/index.js';
import { RACE_PARAMS, type IntParam, type RaceConfig } from '../../../src/native/race-params.js';
import { PARAMS_HEADER, renderRaceParamsHeader } from '../../../src/native/render-race-params.js';
import { raceConfigProblems } from '../../../src/race/validate.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const ints = Object.entries(RACE_PARAMS).filter((e): e is [string, IntParam] => e[1].type === 'int');
const f = path.join(os.tmpdir(), 'tfsr-params-never-created');
const base: RaceConfig = {
  threads: 1,
  durationMs: 100,
  create: [{ kind: 'create-file', path: f }],
  remove: [{ kind: 'unlink', path: f }],
  files: [f],
};

describe('race parameter table', () => {
  it(`${PARAMS_HEADER} is the table's rendering`, () => {
    const file = path.join(root, PARAMS_HEADER);
    const checkedIn = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const fix = `${PARAMS_HEADER} differs from src/native/race-params.ts: run \`npm run gen:native\` and commit it`;
    expect(checkedIn === renderRaceParamsHeader(), fix).toBe(true);
  });

  it('the TS validation takes every integer limit from the table', () => {
    for (const [name, p] of ints) {
      // Only this key's range message (other rules, such as busyCheckEvery needing enable, aside).
      const problems = (v: number) =>
        raceConfigProblems({ ...base, [name]: v }).filter((m) => m.startsWith(`${name} must`));
      expect(problems(p.min), `${name} = min`).toEqual([]);
      expect(problems(p.max), `${name} = max`).toEqual([]);
      const note = p.note ? ` (${p.note})` : '';
      expect(problems(p.max + 1)).toEqual([`${name} must be an integer ${p.min}..${p.max}${note} (got ${p.max + 1})`]);
      expect(problems(p.min - 1)).toHaveLength(1);
      expect(problems(p.min + 0.5)).toHaveLength(1);
    }
  });

  it('weights: known keys only, each in range', () => {
    expect(raceConfigProblems({ ...base, weights: { openRead: 1000, heldWrite: 0 } })).toEqual([]);
    expect(raceConfigProblems({ ...base, weights: { openread: 1 } as RaceConfig['weights'] })[0]).toMatch(
      /unknown weight openread: use openRead, /,
    );
    expect(raceConfigProblems({ ...base, weights: { stat: 1001 } })).toEqual([
      'weights.stat must be an integer 0..1000 (got 1001)',
    ]);
  });

  it('the native parser rejects what the table rules out, naming the key and its range', () => {
    for (const [name, p] of ints) {
      for (const v of [p.min - 1, p.max + 1])
        expect(() => native.raceStart({ ...base, [name]: v }), `${name} = ${v}`).toThrow(
          new TypeError(`raceStart(config): ${name} must be an integer in ${p.min}..${p.max}`),
        );
    }
    expect(() => native.raceStart({ ...base, weights: { stat: 1001 } })).toThrow(
      /stat must be an integer in 0\.\.1000/,
    );
    expect(() => native.raceStart({ ...base, enable: 1 as unknown as string })).toThrow(/enable must be a string/);
    expect(fs.existsSync(f)).toBe(false);
  });
});
