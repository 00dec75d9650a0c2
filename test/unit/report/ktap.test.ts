// SPDX-License-Identifier: GPL-2.0-only
import { describe, it, expect } from 'vitest';
import { renderKtap, renderKtapMatrix, ktapName } from '../../../src/report/ktap.js';
import { pass, skip, fail, unresolved, race, raceMulti, raceSingle, NO_OVERLAP, report } from './fixtures.js';

describe('KTAP v1', () => {
  it('renders a passing and a skipped result', () => {
    const t = renderKtap(report([pass, skip]));
    expect(t).toBe(
      [
        'KTAP version 1',
        '1..2',
        '# tracefs-regress 0.1.0 on 6.18.44-fc-v782 x86_64, tracefs /sys/kernel/tracing',
        'ok 1 removed-files-enoent[uprobe]',
        '# skipped: kprobe_events not available in this kernel',
        'ok 2 removed-files-enoent[kprobe] # SKIP',
        '# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:1 error:0',
        '',
      ].join('\n'),
    );
  });

  it('puts evidence and kernel health before a not ok line, without repeating the kernel lines', () => {
    const lines = renderKtap(report([fail])).split('\n');
    const notOk = lines.indexOf('not ok 1 held-fd-enodev[uprobe]');
    expect(notOk).toBeGreaterThan(0);
    const diags = lines.slice(3, notOk);
    expect(diags.every((l) => l.startsWith('# '))).toBe(true);
    expect(diags).toContain(
      '# evidence: op=read path=/sys/kernel/tracing/events/g/e/enable expected=ENODEV got="0\\n" (2 bytes)',
    );
    expect(diags).toContain('#   generation 3');
    expect(diags).toContain('# health: oops_count 0 -> 1; taint gained BD (now BD, 160); 2 kernel log lines');
    expect(diags.filter((l) => l.includes('BUG: KASAN: slab-use-after-free'))).toHaveLength(1);
    expect(diags).toContain(
      '# kernel: [   12.000001] BUG: KASAN: slab-use-after-free in event_enable_write+0x40/0x120',
    );
  });

  it('reports UNRESOLVED as not ok # ERROR with the reason on the line before', () => {
    const t = renderKtap(report([unresolved]));
    expect(t).toContain('# UNRESOLVED: could not remove: instances/tfsr_1_ab\nnot ok 1 instances[uprobe] # ERROR\n');
    expect(t).toContain('error:1');
  });

  it('carries race statistics as a diagnostic', () => {
    expect(renderKtap(report([race]))).toContain(
      '# stats: opsPerSec=210000 cyclesPerSec=90000 cycles=90000 violations=0 threads=4 elapsedMs=1000\nok 1 race-reopen[uprobe]',
    );
  });

  it('keeps names and reasons on one line and free of #', () => {
    expect(ktapName('a#b\nc')).toBe('a%23b\\nc');
    const t = renderKtap(report([{ ...skip, reason: 'needs #1\nand more' }]));
    // The reason is a diagnostic of one line; the result line ends in the bare directive.
    expect(t).toContain('# skipped: needs #1\\nand more\nok 1 removed-files-enoent[kprobe] # SKIP\n');
  });

  it('notes interruptions and run-wide notes', () => {
    const t = renderKtap(
      report([pass], {
        interrupted: 'SIGINT',
        env: { ...report([]).env, notes: ['kernel log not watched'], accelerator: 'tcg thread=single' },
      }),
    );
    expect(t).toContain('# interrupted: SIGINT');
    expect(t).toContain('# note: kernel log not watched');
    expect(t).toContain('# accelerator: tcg thread=single');
  });

  it('nests one run per kernel as indented subtests', () => {
    const a = report([pass, skip]);
    const b = report([fail], {
      env: { ...a.env, kernel: { ...a.env.kernel, release: '6.12.38+deb12-amd64' }, accelerator: 'tcg thread=single' },
    });
    const c = report([skip], { env: { ...a.env, kernel: { ...a.env.kernel, release: '6.1.0-40-amd64' } } });
    const lines = renderKtapMatrix([a, b, c]).trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual(['KTAP version 1', '1..3', '  KTAP version 1', '  1..2']);
    expect(lines).toContain('ok 1 6.18.44-fc-v782');
    expect(lines).toContain('not ok 2 6.12.38+deb12-amd64 (tcg thread=single)');
    expect(lines).toContain('ok 3 6.1.0-40-amd64 # SKIP');
    expect(lines[lines.indexOf('ok 3 6.1.0-40-amd64 # SKIP') - 1]).toBe('# skipped: nothing runnable on this kernel');
    expect(lines).toContain('  not ok 1 held-fd-enodev[uprobe]');
    for (const l of lines.slice(2)) expect(/^(  |ok |not ok |# )/.test(l)).toBe(true);
  });
});

describe('KTAP: race figures and the no-overlap note', () => {
  const single = { ...report([]).env, accelerator: 'tcg thread=single' };

  it('puts the race figures (cycles/s first) and the overlap in diagnostics directly before the result line', () => {
    const lines = renderKtap(report([raceMulti])).split('\n');
    const at = lines.indexOf('ok 1 race-reopen[uprobe]');
    expect(lines.slice(at - 2, at)).toEqual([
      '# race: cyclesPerSec=1004 cycles=3012 opsPerSec=13750 ops=41250 threads=2 cpus=2 overlap=yes',
      '# race overlap: yes (multi-threaded TCG guest: 2 vCPUs on their own host threads)',
    ]);
    expect(lines.join('\n')).not.toMatch(/could not overlap/);
  });

  it('names the TCG mode and notes, on every race that could not overlap, that its PASS proves little (planted)', () => {
    const t = renderKtap(report([raceSingle, { ...raceSingle, name: 'race-recreate[uprobe]' }], { env: single }));
    const lines = t.split('\n');
    expect(lines).toContain('# accelerator: tcg thread=single');
    for (const name of ['race-getdents[uprobe]', 'race-recreate[uprobe]']) {
      const at = lines.indexOf(`ok ${name === 'race-getdents[uprobe]' ? 1 : 2} ${name}`);
      expect(lines[at - 1]).toMatch(new RegExp(`^# note: ${NO_OVERLAP.source}`));
      expect(lines[at - 2]).toMatch(/^# race overlap: no \(single-threaded TCG guest/);
    }
  });
});
