// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RaceStats } from '../../../src/race/types.js';
import { describe, expect, it } from 'vitest';
import { JournalWriter, journalLine, parseJournal, type JournalRecord } from '../../../src/report/journal.js';

const result: JournalRecord = {
  type: 'result',
  result: {
    name: 'race-reopen[uprobe]',
    scenario: 'race-reopen',
    kind: 'uprobe',
    title: 't\nwith a newline',
    status: 'PASS',
    evidence: [],
    checks: 1,
    durationMs: 3000,
    references: [],
    stats: { totalOps: 123n } as unknown as RaceStats,
  },
};

describe('run journal', () => {
  it('one record is one line, bigints as numbers, newlines in strings escaped', () => {
    const l = journalLine(result);
    expect(l.endsWith('\n')).toBe(true);
    expect(l.slice(0, -1)).not.toContain('\n');
    expect(parseJournal(l)).toEqual([{ ...result, result: { ...result.result, stats: { totalOps: 123 } } }]);
  });

  it('the writer starts a fresh journal and appends one line per record', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-journal-'));
    const file = path.join(dir, 'journal.jsonl');
    fs.writeFileSync(file, '{"type":"running","name":"from-an-old-run","at":""}\n');
    const w = new JournalWriter(file, () => {});
    w.write({ type: 'running', name: 'a[uprobe]', at: 'now' });
    w.write(result);
    w.close();
    expect(parseJournal(fs.readFileSync(file, 'utf8')).map((r) => r.type)).toEqual(['running', 'result']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a failing journal reports once and never fails the run (planted: a closed fd)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-journal-'));
    const errors: string[] = [];
    const w = new JournalWriter(path.join(dir, 'j'), (m) => errors.push(m));
    fs.closeSync((w as unknown as { fd: number }).fd);
    w.write(result);
    w.write(result);
    expect(errors).toEqual([expect.stringMatching(/^journal write failed \(EBADF\)/)]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
