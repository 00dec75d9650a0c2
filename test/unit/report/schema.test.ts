// SPDX-License-Identifier: GPL-2.0-only
// schema/report.schema.json against what the JSON reporter writes: every
// planted report shape (single run, matrix, repeat, expectations, timeout,
// not-run, race) is valid; planted bad documents (a missing field, a wrong
// status word, a KernelCI word that disagrees with the status, an unknown
// field, a matrix inside a run) are rejected. Real host runs: test/live/report-schema.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderJson, renderJsonMatrix } from '../../../src/report/json.js';
import { KERNELCI_STATUS } from '../../../src/report/kernelci.js';
import { mergeIterations } from '../../../src/report/repeat.js';
import type { ResultStatus, ScenarioResult } from '../../../src/report/types.js';
import { reportSchemaErrors } from '../../schema/report-schema.js';
import {
  fail,
  notRunTerm,
  pass,
  race,
  raceMulti,
  raceSingle,
  report,
  result,
  skip,
  unresolved,
  xfail,
  xpass,
} from './fixtures.js';

const timedOut = result({
  name: 'planted-blocking-read[uprobe]',
  status: 'TIMEOUT',
  reason: 'overran',
  timeout: { limitMs: 60_000, signals: 2, overrunMs: 12.4 },
});
const toolError = result({
  name: 'race-stale-dirfd[uprobe]',
  status: 'UNRESOLVED',
  reason: 'tool error, not a kernel verdict: ...',
  fault: { code: 'EMFILE', cause: 'worker 0: openat(/t/events/g): EMFILE', fix: 'raise the fd limit: ulimit -n 200' },
});
const all: ScenarioResult[] = [
  pass,
  toolError,
  skip,
  fail,
  unresolved,
  race,
  raceMulti,
  raceSingle,
  xfail,
  xpass,
  notRunTerm,
  timedOut,
];
const doc = (results: ScenarioResult[] = all) =>
  JSON.parse(renderJson(report(results, { interrupted: 'SIGTERM' }))) as Record<string, any>;

describe('report.schema.json accepts what the JSON reporter writes', () => {
  it('a single run with every status, race statistics, health, expectations, a timeout and a not-run', () => {
    const j = doc();
    expect(j.report).toBe('run');
    expect(reportSchemaErrors(j)).toEqual([]);
  });
  it('a matrix: several runs, one document', () => {
    const j = JSON.parse(renderJsonMatrix([report([pass, skip]), report([fail, xfail])]));
    expect(j.report).toBe('matrix');
    expect(j.runs.map((r: { report: string }) => r.report)).toEqual(['run', 'run']);
    expect(reportSchemaErrors(j)).toEqual([]);
  });
  it("a vm boot's place in the kernel x boot plan (--boots, --shard), and an empty shard's matrix", () => {
    const cell = { index: 3, cells: 4, kernel: '6.18.15+deb13-amd64', boot: 2, boots: 2, plan: '0123456789ab' };
    const j = JSON.parse(renderJsonMatrix([{ ...report([pass]), matrix: { ...cell, shard: '2/2' } }]));
    expect(j.runs[0].matrix).toEqual({ ...cell, shard: '2/2' });
    expect(reportSchemaErrors(j)).toEqual([]);
    expect(reportSchemaErrors(JSON.parse(renderJsonMatrix([])))).toEqual([]);
  });
  it('a FAIL with its reproducer, the reproDir and the kernel config lines (--repro-dir, lkml)', () => {
    const withRepro = {
      ...fail,
      reproducer: { file: 'x[uprobe].c', mode: 'sequence' as const, steps: { kept: 10, total: 110 } },
    };
    const r = report([pass, withRepro]);
    r.reproDir = '/var/tmp/repro';
    r.env.config = {
      source: '/boot/config-6.1.0-57-amd64',
      lines: ['CONFIG_KPROBE_EVENTS=y', '# CONFIG_KASAN is not set'],
    };
    const j = JSON.parse(renderJson(r));
    expect(j.results[1].reproducer.file).toBe('x[uprobe].c');
    expect(reportSchemaErrors(j)).toEqual([]);
    j.results[1].reproducer.file = '../x.c';
    expect(reportSchemaErrors(j).some((e) => /^\/results\/1\/reproducer\/file/.test(e))).toBe(true);
  });
  it('a repeated run', () => {
    const m = mergeIterations([{ report: report([pass]) }, { report: report([fail]) }], { count: 2, untilFail: false });
    expect(reportSchemaErrors(JSON.parse(renderJson(m)))).toEqual([]);
  });
  it('each status with its KernelCI word, and no other word', () => {
    for (const [status, word] of Object.entries(KERNELCI_STATUS) as [ResultStatus, string][]) {
      const j = doc([result({ name: 'x[uprobe]', status })]);
      expect(j.results[0].kernelci).toBe(word);
      expect(reportSchemaErrors(j), status).toEqual([]);
      for (const other of ['pass', 'fail', 'skip', 'error'].filter((w) => w !== word)) {
        j.results[0].kernelci = other;
        expect(reportSchemaErrors(j), `${status} as ${other}`).not.toEqual([]);
      }
    }
  });
});

describe('report.schema.json rejects planted bad reports', () => {
  const rejects = (mutate: (j: Record<string, any>) => void, path: RegExp) => {
    const j = doc();
    mutate(j);
    const errors = reportSchemaErrors(j);
    expect(
      errors.some((e) => path.test(e)),
      errors.join('\n'),
    ).toBe(true);
  };
  it('a result without its checks', () => rejects((j) => delete j.results[0].checks, /^\/results\/0 .*checks/));
  it('a result without its KernelCI word', () =>
    rejects((j) => delete j.results[0].kernelci, /^\/results\/0 .*kernelci/));
  it('a wrong status word', () => rejects((j) => (j.results[0].status = 'PASSED'), /^\/results\/0\/status/));
  it("a KernelCI word that is not KernelCI's", () =>
    rejects((j) => (j.results[0].kernelci = 'ok'), /^\/results\/0\/kernelci/));
  it('a FAIL that calls itself a pass', () =>
    rejects((j) => (j.results[2].kernelci = 'pass'), /^\/results\/2\/kernelci/));
  it('an unknown field on a result', () =>
    rejects((j) => (j.results[0].reproducer2 = 'x'), /^\/results\/0 .*additional propert/));
  it('a report without env', () => rejects((j) => delete j.env, /^\/ .*env/));
  it('another schema tag', () => rejects((j) => (j.schema = 'tracefs-regress/report@2'), /^\/schema/));
  it('a run document without its shape', () => rejects((j) => delete j.report, /^\/ .*report/));
  it('a matrix whose run lacks results', () => {
    const j = JSON.parse(renderJsonMatrix([report([pass]), report([fail])]));
    delete j.runs[1].results;
    expect(reportSchemaErrors(j).some((e) => /^\/runs\/1 .*results/.test(e))).toBe(true);
  });
  it('a cell without its plan, or a boot 0', () => {
    const cell = { index: 0, cells: 1, kernel: 'k', boot: 1, boots: 1, plan: '0123456789ab' };
    rejects((j) => (j.matrix = { ...cell, plan: undefined }), /^\/matrix .*plan/);
    rejects((j) => (j.matrix = { ...cell, boot: 0 }), /^\/matrix\/boot/);
    rejects((j) => (j.matrix = { ...cell, shard: '0/2' }), /^\/matrix\/shard/);
  });
  it('a negative count in the summary', () => rejects((j) => (j.summary.pass = -1), /^\/summary\/pass/));
  const knownBug = {
    id: 'CVE-2026-74605',
    title: 't',
    fix: { commit: 'f0ece16ffca7', subject: 's', mainline: '7.2-rc7' },
    verdict: 'predates-fix',
    text: 'matches ...',
    matched: 'RIP: 0010:eventfs_iterate+0x29c/0x340',
  };
  it('a named failure (knownBug) and a NEW one are valid', () => {
    const j = doc();
    j.results[3].knownBug = knownBug;
    j.results[4].new = true;
    expect(reportSchemaErrors(j)).toEqual([]);
  });
  it('a known bug with a verdict of its own', () =>
    rejects((j) => (j.results[3].knownBug = { ...knownBug, verdict: 'fixed' }), /^\/results\/3\/knownBug\/verdict/));
  it('a known bug without its fix, or with an offset where the commit goes', () => {
    rejects((j) => (j.results[3].knownBug = { ...knownBug, fix: undefined }), /^\/results\/3\/knownBug .*fix/);
    rejects(
      (j) => (j.results[3].knownBug = { ...knownBug, fix: { ...knownBug.fix, commit: 'f0ece16ffca7+0x1' } }),
      /^\/results\/3\/knownBug\/fix\/commit/,
    );
  });
  it('new: false (a result that is not new carries no "new")', () =>
    rejects((j) => (j.results[4].new = false), /^\/results\/4\/new/));
  it('a matrix verdict with an unknown status, without its k, or a boot 0', () => {
    const cell = { index: 0, cells: 2, kernel: 'k', boot: 1, boots: 2, plan: '0123456789ab' };
    const m = () => JSON.parse(renderJsonMatrix([{ ...report([fail]), matrix: cell }]));
    const ok = m();
    expect(ok.verdicts.cells[0]).toMatchObject({ status: 'FAIL', caught: 1, boots: 2, ran: 1 });
    expect(ok.verdicts.cells[0].perBoot[1]).toEqual({ boot: 2, status: 'MISSING' });
    expect(reportSchemaErrors(ok)).toEqual([]);
    const bad = (f: (j: any) => void, re: RegExp) => {
      const j = m();
      f(j);
      expect(
        reportSchemaErrors(j).some((e) => re.test(e)),
        JSON.stringify(reportSchemaErrors(j)),
      ).toBe(true);
    };
    bad((j) => (j.verdicts.cells[0].status = 'BROKEN'), /^\/verdicts\/cells\/0\/status/);
    bad((j) => delete j.verdicts.cells[0].caught, /^\/verdicts\/cells\/0 .*caught/);
    bad((j) => (j.verdicts.cells[0].perBoot[0].boot = 0), /^\/verdicts\/cells\/0\/perBoot\/0\/boot/);
  });
});

describe('the golden JSON reports', () => {
  it('are valid', () => {
    const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json.txt'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files)
      expect(reportSchemaErrors(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))), f).toEqual([]);
  });
});

describe('a real VM report', () => {
  // `vm --kernel debian:6.12 --kernel debian:6.1 -- -s removed-files-enoent -s race-reopen --duration 1s
  // --format json` (2026-12-02, multi-threaded TCG): the matrix document, each run in it a run document.
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'vm-matrix-6.12-6.1.json');
  const saved = () => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
  it('the matrix and each of its runs alone are valid', () => {
    const m = saved();
    expect(m.report).toBe('matrix');
    expect(m.runs.map((r: { env: { kernel: { release: string } } }) => r.env.kernel.release)).toEqual([
      '6.12.118+deb13-amd64',
      '6.1.0-57-amd64',
    ]);
    expect(reportSchemaErrors(m)).toEqual([]);
    for (const run of m.runs) expect(reportSchemaErrors(run)).toEqual([]);
  });
  it('planted: a guest result without its evidence, or a run posing as the matrix, is refused', () => {
    const m = saved();
    delete m.runs[1].results[3].evidence;
    expect(reportSchemaErrors(m).join('\n')).toMatch(/^\/runs\/1\/results\/3 .*evidence/m);
    const run = saved().runs[0];
    run.report = 'matrix';
    expect(reportSchemaErrors(run)).not.toEqual([]);
  });
});
