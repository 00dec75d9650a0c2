// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { parseJournal, type JournalRecord } from '../../../../src/report/journal.js';
import type { ScenarioResult } from '../../../../src/report/types.js';
import { partialRun } from '../../../../src/vm/boot/partial.js';

const result = (name: string, status: ScenarioResult['status'] = 'PASS'): ScenarioResult => ({
  name,
  scenario: name.replace(/\[.*/, ''),
  kind: 'uprobe',
  title: name,
  status,
  evidence: [],
  checks: 3,
  durationMs: 5,
  references: [],
});
const start: JournalRecord = {
  type: 'start',
  tool: { name: 'tracefs-regress', version: '0.1.0' },
  startedAt: '2026-12-02T04:00:00.000Z',
  env: {
    kernel: { release: '6.12.118', version: '#1', machine: 'x86_64' },
    tracefs: '/sys/kernel/tracing',
    features: ['uprobe_events'],
    hostname: 'guest',
  },
};
const running = (name: string): JournalRecord => ({ type: 'running', name, at: '2026-12-02T04:00:01.000Z' });
const done = (name: string, status?: ScenarioResult['status']): JournalRecord => ({
  type: 'result',
  result: result(name, status),
});
const ended = Date.parse('2026-12-02T04:00:40.000Z');

describe('partial report from the run journal', () => {
  it('keeps every completed result and names the variant that started without one', () => {
    const p = partialRun(
      [
        start,
        running('a[uprobe]'),
        done('a[uprobe]'),
        running('b[uprobe]'),
        done('b[uprobe]', 'FAIL'),
        running('c[uprobe]'),
      ],
      {
        accelerator: 'tcg thread=single',
        endedMs: ended,
      },
    );
    expect(p.running).toBe('c[uprobe]');
    expect(p.report!.results.map((r) => `${r.name} ${r.status}`)).toEqual(['a[uprobe] PASS', 'b[uprobe] FAIL']);
    expect(p.report!.env.kernel.release).toBe('6.12.118');
    expect(p.report!.env.accelerator).toBe('tcg thread=single');
    expect(p.report!.durationMs).toBe(40_000);
    expect(p.report!.interrupted).toMatch(/during c\[uprobe\]/);
  });

  it('names nothing as running when the last variant finished (the guest hung between variants)', () => {
    const p = partialRun([start, running('a[uprobe]'), done('a[uprobe]')], { endedMs: ended });
    expect(p.running).toBeUndefined();
    expect(p.report!.interrupted).toMatch(/before its final report/);
  });

  it('a result of another name does not clear the running one (planted: out-of-order records)', () => {
    const p = partialRun([start, running('b[uprobe]'), done('a[uprobe]')], { endedMs: ended });
    expect(p.running).toBe('b[uprobe]');
  });

  it('no start record, no report: a guest that died before the run began', () => {
    expect(partialRun([running('a[kprobe]')], { endedMs: ended })).toEqual({ running: 'a[kprobe]' });
    expect(partialRun([], { endedMs: ended })).toEqual({});
  });

  it('reads a journal the kill cut mid-line, and skips foreign and malformed lines', () => {
    const text =
      [start, running('a[uprobe]'), done('a[uprobe]')].map((r) => JSON.stringify(r)).join('\n') +
      '\nnot json\n{"type":"result"}\n{"type":"surprise","name":"x"}\n{"type":"running","name":"b[upr';
    const recs = parseJournal(text);
    expect(recs.map((r) => r.type)).toEqual(['start', 'running', 'result']);
    const p = partialRun(recs, { endedMs: ended });
    expect(p.report!.results).toHaveLength(1);
    expect(p.running).toBeUndefined();
  });
});
