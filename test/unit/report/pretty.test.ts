// SPDX-License-Identifier: GPL-2.0-only
import { describe, it, expect } from 'vitest';
import { renderPretty, renderPrettyMatrix, liveLine, useColor, totalsLine } from '../../../src/report/pretty.js';
import { pass, skip, fail, unresolved, race, raceMulti, raceSingle, NO_OVERLAP, report } from './fixtures.js';

describe('pretty summary', () => {
  it('prints one line per result and ends with the totals', () => {
    const t = renderPretty(report([pass, skip]));
    const lines = t.trimEnd().split('\n');
    expect(lines[0]).toBe('tracefs-regress 0.1.0 on 6.18.44-fc-v782 (x86_64), tracefs /sys/kernel/tracing, 3.2 s');
    expect(lines[1]).toBe('PASS  removed-files-enoent[uprobe]  12 checks  35 ms');
    expect(lines[2]).toBe('SKIP  removed-files-enoent[kprobe]  kprobe_events not available in this kernel');
    expect(lines.at(-1)).toBe('1 passed, 0 failed, 1 skipped');
  });

  it('follows a failure with its evidence and kernel lines, indented, once each', () => {
    const t = renderPretty(report([fail, unresolved]));
    expect(t).toContain(
      'FAIL  held-fd-enodev[uprobe]  8 checks  40 ms\n      read /sys/kernel/tracing/events/g/e/enable: expected ENODEV, got "0\\n" (2 bytes)\n        generation 3\n',
    );
    expect(t).toContain(
      '      kernel: oops_count 0 -> 1, taint gained BD (now BD, 160), 2 kernel log lines\n        [   12.000001] BUG: KASAN',
    );
    expect(t.match(/BUG: KASAN/g)).toHaveLength(1);
    expect(t).toContain(
      'UNRES instances[uprobe]  3 checks  35 ms\n      unresolved: could not remove: instances/tfsr_1_ab',
    );
    expect(t.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed, 0 skipped, 1 unresolved');
  });

  it('shows race statistics compactly', () => {
    expect(liveLine(race)).toBe(
      'PASS  race-reopen[uprobe]  1 check  3012 ms  opsPerSec=210.0k cyclesPerSec=90.0k cycles=90.0k violations=0 threads=4 elapsedMs=1000',
    );
  });

  it('has no escape codes unless colour is asked for', () => {
    expect(renderPretty(report([pass, fail, skip]))).not.toContain('\x1b[');
    const c = renderPretty(report([pass, fail]), { color: true });
    expect(c).toContain('\x1b[32mPASS ');
    expect(c).toContain('\x1b[31m1 failed\x1b[0m');
  });

  it('colours only a TTY without NO_COLOR', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('prints run-wide notes once and only the recap after live lines', () => {
    const note = 'kernel log not watched (/dev/kmsg: EACCES); run as root to scan /dev/kmsg';
    const withNote = (r: typeof pass) => ({ ...r, health: { ok: true, kernelLines: [], notes: [note] } });
    const t = renderPretty(report([withNote(pass), withNote(fail)]), { liveShown: true });
    expect(t).toBe(`note: ${note}\nnot passed: held-fd-enodev[uprobe]\n1 passed, 1 failed, 0 skipped\n`);
  });

  it('says when the run was interrupted', () => {
    expect(renderPretty(report([pass], { interrupted: 'SIGINT' }))).toContain(
      'interrupted: SIGINT\n1 passed, 0 failed, 0 skipped\n',
    );
  });

  it('totals a matrix of kernels on the last line', () => {
    const a = report([pass, skip]);
    const b = report([fail], { env: { ...a.env, accelerator: 'tcg thread=single' } });
    const lines = renderPrettyMatrix([a, b]).trimEnd().split('\n');
    expect(lines).toContain('== 6.18.44-fc-v782 (tcg thread=single) ==');
    expect(lines.at(-1)).toBe('1 passed, 1 failed, 1 skipped');
    expect(
      totalsLine({ pass: 0, fail: 0, xfail: 0, xpass: 0, skip: 0, unresolved: 0, notRun: 0, timeout: 0, total: 0 }),
    ).toBe('0 passed, 0 failed, 0 skipped');
    expect(
      totalsLine({ pass: 1, fail: 0, xfail: 2, xpass: 1, skip: 0, unresolved: 0, notRun: 0, timeout: 0, total: 4 }),
    ).toBe('1 passed, 0 failed, 0 skipped, 2 xfailed, 1 xpassed');
  });
});

describe('pretty: race figures and the no-overlap note', () => {
  const single = { ...report([]).env, accelerator: 'tcg thread=single' };

  it('leads a race line with cycles/s, then cycles, ops/s, ops, threads, CPUs and overlap', () => {
    expect(liveLine(raceMulti)).toBe(
      'PASS  race-reopen[uprobe]  2800 checks  3020 ms  cycles/s=1004 cycles=3012 ops/s=13.8k ops=41.3k threads=2 cpus=2 overlap=yes',
    );
  });

  it('a race that could not overlap carries the note on a PASS, without --verbose (planted: the note must not be dropped)', () => {
    const lines = liveLine(raceSingle).split('\n');
    expect(lines[0]).toMatch(/^PASS  race-getdents\[uprobe\] .* cycles\/s=46\.7 cycles=140 .* overlap=no$/);
    expect(lines[1]).toMatch(NO_OVERLAP);
    expect(lines).toHaveLength(2); // its own notes stay for --verbose
    const t = renderPretty(report([raceSingle, raceMulti], { env: single }));
    expect(t.match(new RegExp(NO_OVERLAP.source, 'g'))).toHaveLength(1); // on the single race only
    expect(liveLine(raceMulti)).not.toMatch(/could not overlap/);
  });

  it("says the note once under --verbose, even when the note came back in the result's own notes (a guest JSON)", () => {
    const back = {
      ...raceSingle,
      notes: [
        ...(raceSingle.notes ?? []),
        liveLine(raceSingle)
          .split('\n')[1]!
          .trim()
          .replace(/^note: /, ''),
      ],
    };
    const t = liveLine(back, { verbose: true });
    expect(t.match(new RegExp(NO_OVERLAP.source, 'g'))).toHaveLength(1);
    expect(t).toContain('End of test: SUCCESS');
  });
});
