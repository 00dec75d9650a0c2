// SPDX-License-Identifier: GPL-2.0-only
// `tracefs-regress report FILE`: a saved JSON report rendered again; anything
// that is not one is exit 2 with the file named, and nothing written.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../src/cli/main.js';
import { render, renderJson, renderJsonMatrix } from '../../../../src/report/index.js';
import { CATALOGUE } from '../../../../src/scenarios/catalogue.js';
import { warn61, raceOops } from '../../../unit/report/lkml-fixtures.js';
import { fail, pass, report, xfail } from '../../../unit/report/fixtures.js';
import { planCells, planId, shardCells } from '../../../../src/vm/matrix/cells.js';

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
    const matrix = JSON.parse(renderJsonMatrix([warn61, raceOops])) as { runs: { results: { status: string }[] }[] };
    matrix.runs[1]!.results[0]!.status = 'BOGUS';
    const cases: Array<[string, RegExp]> = [
      ['not json', /not a tracefs-regress JSON report \(not JSON/],
      [
        '{"schema": "something/else"}',
        /not a tracefs-regress JSON report \(no "schema": "tracefs-regress\/report@1"\)/,
      ],
      [
        '{"schema": "tracefs-regress/report@1", "tool": {"name": "x"}}',
        /first error at \/: must have required property/,
      ],
      [
        JSON.stringify(matrix),
        /first error at \/runs\/1\/results\/0\/status: must be equal to one of the allowed values/,
      ],
      [
        renderJson(warn61).replace('"evidence": [', '"evidence": 3, "x": ['),
        /first error at \/results\/0: must NOT have additional properties \("x"\)/,
      ],
    ];
    for (const [text, why] of cases) {
      err = '';
      const f = saved('bad.json', text);
      expect(await cli(f, '--format', 'lkml', '--output', o), text).toBe(2);
      expect(err).toMatch(new RegExp(`^tracefs-regress: ${f} is not a (valid )?tracefs-regress JSON report`));
      expect(err).toMatch(why);
      expect(err).toMatch(/run --format json --output FILE/);
      expect(fs.existsSync(o)).toBe(false);
    }
    err = '';
    expect(await cli(dir)).toBe(2);
    expect(err).toMatch(/is a directory, not a regular file/);
    expect(await cli(saved('r.json', renderJson(warn61)), '--format', 'text')).toBe(2);
    expect(err).toMatch(/argument 'text' is invalid. Allowed choices are pretty, ktap, json, junit, lkml/);
  });

  it('a report that breaks the schema is exit 2 naming the JSON path, never an internal error in a reporter', async () => {
    // Each crashed a reporter before (exit 1, "internal error: TypeError"), which CI reads as a failed scenario.
    const run = JSON.parse(renderJson(warn61)) as { env: { features: unknown }; results: { status: string }[] };
    const badStatus = structuredClone(run);
    badStatus.results[0]!.status = 'BOGUS';
    const noFeatures = structuredClone(run);
    noFeatures.env.features = null;
    for (const [doc, format, at] of [
      [badStatus, 'pretty', '/results/0/status'],
      [noFeatures, 'json', '/env/features'],
      [noFeatures, 'junit', '/env/features'],
    ] as const) {
      err = '';
      out = '';
      const f = saved('bad.json', JSON.stringify(doc));
      expect(await cli(f, '--format', format), `${at} ${format}`).toBe(2);
      expect(err).toMatch(
        new RegExp(`^tracefs-regress: ${f} is not a valid tracefs-regress JSON report .*first error at ${at}: `),
      );
      expect(err).not.toMatch(/internal error/);
      expect(out).toBe('');
    }
  });

  it('a FIFO or /dev/zero as FILE is refused at once, unread', async () => {
    const fifo = path.join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expect(await cli(fifo)).toBe(2);
    expect(err).toMatch(/fifo\.json is a FIFO, not a regular file: give a saved JSON report/);
    expect(await cli('/dev/zero')).toBe(2);
    expect(err).toMatch(/\/dev\/zero is a character device, not a regular file/);
  });
});

describe('report merge', () => {
  // Three kernels, one boot each, in two shards: [a], [b, c]; kernel c fails.
  const cells = planCells(['a', 'b', 'c'], 1, planId(['a', 'b', 'c'], 1, ['-s', 'x']));
  const boot = (c: (typeof cells)[number]) => report([c.kernel === 'c' ? fail : pass], { matrix: c });
  const shardFile = (i: number, n: number, pick = (c: (typeof cells)[number]) => boot(c)) =>
    saved(`shard-${i}.json`, renderJsonMatrix(shardCells(cells, { index: i, count: n }).map(pick)));
  const unsharded = () => cells.map(boot);

  it('joins the shards in any order into the unsharded run, -f and -o after the files, exit as the unsharded run', async () => {
    const [a, b] = [shardFile(1, 2), shardFile(2, 2)];
    const o = path.join(dir, 'merged.json');
    expect(await cli('merge', b, a, '-f', 'json', '-o', o)).toBe(1);
    const merged = JSON.parse(fs.readFileSync(o, 'utf8')) as { runs: { matrix: { index: number; shard: string } }[] };
    expect(merged.runs.map((r) => r.matrix.index)).toEqual([0, 1, 2]);
    // The same document as the unsharded run's, but for the shard each cell ran in.
    for (const r of merged.runs) delete (r.matrix as { shard?: string }).shard;
    expect(JSON.stringify(merged, null, 2) + '\n').toBe(renderJsonMatrix(unsharded()));
    expect(err).toBe('');
    out = '';
    expect(await cli('merge', a, b, '--format', 'junit', '--color', 'never')).toBe(1);
    expect(out).toMatch(/^<\?xml/);
    const passing = (c: (typeof cells)[number]) => report([pass], { matrix: c });
    expect(await cli('merge', shardFile(1, 2, passing), shardFile(2, 2, passing), '-f', 'ktap')).toBe(0);
  });

  it('a missing shard: its cells on stderr and UNRESOLVED in the output, exit 1 though every reported boot passed', async () => {
    const passing = (c: (typeof cells)[number]) => report([pass], { matrix: c });
    const o = path.join(dir, 'merged.xml');
    expect(await cli('merge', shardFile(1, 2, passing), '-f', 'junit', '-o', o)).toBe(1);
    expect(err).toBe(
      'tracefs-regress: 2 of 3 cells missing (UNRESOLVED in the merge, exit 1):\n' +
        '  shard 2/2: cell 1 (kernel #2 (unreported)), cell 2 (kernel #3 (unreported))\n',
    );
    expect(fs.readFileSync(o, 'utf8').match(/<testcase [^>]*name="vm-boot"/g)).toHaveLength(2);
  });

  it("refuses files that are not one plan's shards: exit 2 naming the files, nothing written", async () => {
    const o = path.join(dir, 'out.json');
    const other = planCells(['a', 'b'], 1, planId(['a', 'b'], 1, []));
    const cases: Array<[string[], RegExp]> = [
      [[shardFile(1, 2), saved('run.json', renderJson(warn61))], /run\.json: run 1 .* has no matrix cell/],
      [
        [shardFile(1, 2), saved('other.json', renderJsonMatrix(other.map((c) => report([pass], { matrix: c }))))],
        /shard-1\.json and .*other\.json are reports of different plans/,
      ],
      [[saved('bad.json', 'not json'), shardFile(1, 2)], /bad\.json is not a tracefs-regress JSON report/],
      [[saved('empty.json', renderJsonMatrix([]))], /^tracefs-regress: nothing to merge: .*empty\.json holds no boot/],
    ];
    for (const [files, why] of cases) {
      err = '';
      expect(await cli('merge', ...files, '-f', 'json', '-o', o), files.join(' ')).toBe(2);
      expect(err).toMatch(why);
      expect(fs.existsSync(o)).toBe(false);
    }
    err = '';
    expect(await cli('merge', shardFile(1, 2), '-f', 'text')).toBe(2);
    expect(err).toMatch(/argument 'text' is invalid/);
  });

  it('an empty shard (more jobs than cells) adds nothing and is no error', async () => {
    const files = [1, 2, 3, 4].map((i) => shardFile(i, 4));
    expect(JSON.parse(fs.readFileSync(files[0]!, 'utf8')).runs).toEqual([]);
    expect(await cli('merge', ...files, '-f', 'json')).toBe(1);
    expect(err).toBe('');
    expect((JSON.parse(out) as { runs: unknown[] }).runs).toHaveLength(3);
  });
});
