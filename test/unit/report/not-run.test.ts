// SPDX-License-Identifier: GPL-2.0-only
// A planted interrupted run: one race ran (cut short), one variant never ran.
// Every format keeps the one that never ran in its plan and says why.
import { describe, it, expect } from 'vitest';
import { renderKtap, renderJson, renderJunit, renderPretty, exitCodeFor } from '../../../src/report/index.js';
import { notRunTerm, race, report } from './fixtures.js';
import { all, parseStrict } from './strict-xml.js';

const cut = { ...race, cutShort: 'SIGTERM' };
const rep = report([cut, notRunTerm], { interrupted: 'SIGTERM' });

describe('an interrupted run, planted', () => {
  it('KTAP: the plan counts both, the one not run is `not ok ... # ERROR not run: ...`', () => {
    const lines = renderKtap(rep).split('\n');
    expect(lines[1]).toBe('1..2');
    expect(lines).toContain('ok 1 race-reopen[uprobe]');
    // The race the signal stopped says so, directly before its result line.
    expect(lines[lines.indexOf('ok 1 race-reopen[uprobe]') - 1]).toBe(
      '# note: cut short by SIGTERM: the verdict covers only the time before it',
    );
    expect(lines).toContain('not ok 2 removed-files-enoent[uprobe] # ERROR not run: interrupted by SIGTERM');
    expect(lines).toContain('# interrupted: SIGTERM');
    expect(lines).toContain('# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:1');
    // No "# UNRESOLVED:" diagnostic repeats what the directive says.
    expect(lines.filter((l) => l.includes('not run'))).toHaveLength(1);
  });

  it('JUnit: an <error type="NOT_RUN"> with the reason, counted in errors', () => {
    const root = parseStrict(renderJunit(rep));
    expect(all(root, 'testsuite')[0]!.attrs).toMatchObject({ tests: '2', errors: '1', failures: '0' });
    expect(all(root, 'error')[0]!.attrs).toEqual({ message: 'not run: interrupted by SIGTERM', type: 'NOT_RUN' });
    expect(all(root, 'system-out')[0]!.text).toContain('note: cut short by SIGTERM');
  });

  it('JSON: the result with notRun, the summary counting it', () => {
    const j = JSON.parse(renderJson(rep));
    expect(j.results[1]).toMatchObject({
      status: 'UNRESOLVED',
      notRun: 'interrupted',
      reason: 'not run: interrupted by SIGTERM',
    });
    expect(j.results[0]).toMatchObject({ status: 'PASS', cutShort: 'SIGTERM' });
    expect(j.summary).toMatchObject({ pass: 1, unresolved: 1, notRun: 1, total: 2, exitCode: 1 });
  });

  it('pretty: a line for it, and after live lines a "not run:" list', () => {
    const full = renderPretty(rep, { verbose: true });
    expect(full).toContain('UNRES removed-files-enoent[uprobe]  not run: interrupted by SIGTERM');
    expect(full).toContain('note: cut short by SIGTERM: the verdict covers only the time before it');
    expect(full.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed, 0 skipped, 1 not run');
    const recap = renderPretty(rep, { liveShown: true });
    expect(recap).toBe(
      'not run: removed-files-enoent[uprobe]\ninterrupted: SIGTERM\n1 passed, 0 failed, 0 skipped, 1 not run\n',
    );
  });

  it('the exit code is what an interrupted run already had', () => {
    expect(exitCodeFor(rep)).toBe(1);
    expect(exitCodeFor(report([cut], { interrupted: 'SIGTERM' }))).toBe(1);
  });
});
