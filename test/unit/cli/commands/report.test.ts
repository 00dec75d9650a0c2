// `tracefs-regress report FILE`: a saved JSON report rendered again; anything
// that is not one is exit 2 with the file named, and nothing written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../src/cli/main.js';
import { render, renderJson, renderJsonMatrix } from '../../../../src/report/index.js';
import { CATALOGUE } from '../../../../src/scenarios/catalogue.js';
import { warn61, raceOops } from '../../report/lkml-fixtures.js';
import { pass, report, xfail } from '../../report/fixtures.js';

let dir: string;
let out: string;
let err: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-report-'));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = undefined;
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const saved = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const cli = (...args: string[]) => main(['node', 'tracefs-regress', 'report', ...args]);
const describeScenario = (id: string) => CATALOGUE.find((s) => s.id === id)?.description;

describe('report FILE', () => {
  it('renders a saved run as lkml, exactly as the run would have', async () => {
    const f = saved('r.json', renderJson(warn61));
    expect(await cli(f, '--format', 'lkml')).toBe(0);
    expect(out).toBe(render('lkml', warn61, { describe: describeScenario }));
    expect(out).toMatch(/^Subject: \[BUG\] tracing: trigger write through fd held across kprobe removal WARNs/);
  });

  it('reads back what it wrote: json in, the same json out; a matrix gives every run', async () => {
    const f = saved('r.json', renderJson(warn61));
    expect(await cli(f, '--format', 'json')).toBe(0);
    expect(out).toBe(renderJson(warn61));
    out = '';
    const m = saved('m.json', renderJsonMatrix([warn61, raceOops]));
    expect(await cli(m, '-f', 'lkml')).toBe(0);
    expect(out.match(/^Subject: /gm)).toHaveLength(2);
  });

  it('says "nothing to report" on stderr for a run without a FAIL, and exits 0', async () => {
    const f = saved('p.json', renderJson(report([pass, xfail])));
    expect(await cli(f, '--format', 'lkml')).toBe(0);
    expect(out).toBe('');
    expect(err).toBe(
      'tracefs-regress: nothing to report: no scenario failed (1 expected failure (XFAIL): already known)\n',
    );
  });

  it('refuses what is not a tracefs-regress JSON report: exit 2, the file named, no --output written', async () => {
    const o = path.join(dir, 'out.txt');
    const cases: Array<[string, RegExp]> = [
      ['not json', /not JSON/],
      ['{"schema": "something/else"}', /no "schema": "tracefs-regress\/report@1"/],
      ['{"schema": "tracefs-regress/report@1", "tool": {"name": "x"}}', /no "tool": \{"name": "tracefs-regress"\}/],
      [
        JSON.stringify({ schema: 'tracefs-regress/report@1', runs: [JSON.parse(renderJson(warn61)), { results: 1 }] }),
        /runs\[1\]: no "tool"/,
      ],
      [
        renderJson(warn61).replace('"evidence": [', '"evidence": 3, "x": ['),
        /results\[0\] has no name, status or evidence/,
      ],
    ];
    for (const [text, why] of cases) {
      err = '';
      const f = saved('bad.json', text);
      expect(await cli(f, '--format', 'lkml', '--output', o), text).toBe(2);
      expect(err).toMatch(new RegExp(`^tracefs-regress: ${f} is not a tracefs-regress JSON report`));
      expect(err).toMatch(why);
      expect(err).toMatch(/run --format json --output FILE/);
      expect(fs.existsSync(o)).toBe(false);
    }
    err = '';
    expect(await cli(dir)).toBe(2);
    expect(err).toMatch(/is not a regular file/);
    expect(await cli(saved('r.json', renderJson(warn61)), '--format', 'text')).toBe(2);
    expect(err).toMatch(/argument 'text' is invalid. Allowed choices are pretty, ktap, json, junit, lkml/);
  });
});
