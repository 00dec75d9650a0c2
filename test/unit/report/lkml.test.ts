// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lkmlMails, renderLkml, renderLkmlMatrix, nothingToReport, MAIL_SEPARATOR } from '../../../src/report/lkml.js';
import {
  layout,
  layoutProblems,
  PROSE_WIDTH,
  wrapProse,
  type Block,
  type Wrapper,
} from '../../../src/report/lkml-layout.js';
import { kernelComplaint, subjectOf } from '../../../src/report/lkml-subject.js';
import { render } from '../../../src/report/index.js';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';
import { evidenceOnly, raceOops, REPRO_C, warn61 } from './lkml-fixtures.js';
import { pass, report, skip, xfail } from './fixtures.js';
import type { RunReport } from '../../../src/report/types.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
const describeScenario = (id: string) => CATALOGUE.find((s) => s.id === id)?.description;
const opts = { describe: describeScenario, reproducer: () => REPRO_C };

const CASES: Record<string, RunReport> = {
  'lkml-6.1-warn': warn61,
  'lkml-evidence-only': evidenceOnly,
  'lkml-race-oops': raceOops,
};

describe('--format lkml', () => {
  for (const [name, rep] of Object.entries(CASES)) {
    it(`renders ${name} as its golden file`, () => {
      const text = renderLkml(rep, opts);
      const file = path.join(DIR, `${name}.txt`);
      if (process.env.GOLDEN_WRITE === '1') fs.writeFileSync(file, text);
      expect(text).toBe(fs.readFileSync(file, 'utf8'));
    });

    it(`${name}: every prose line fits ${PROSE_WIDTH} columns and every quoted line is untouched`, () => {
      const [mail] = lkmlMails(rep, opts);
      const text = renderLkml(rep, opts);
      const body = text.split('\n').slice(2, -1);
      expect(layoutProblems(mail!.blocks, body)).toEqual([]);
      // Quoted lines wider than the prose limit are there whole (kernel lines, code).
      const wide = mail!.blocks.flatMap((b) => ('quote' in b ? b.quote : [])).filter((l) => l.length > PROSE_WIDTH);
      expect(wide.length).toBeGreaterThan(0);
      for (const l of wide) expect(body).toContain(l);
    });
  }

  it("suggests the subject from the scenario, the op and the kernel's words", () => {
    expect(subjectOf(warn61.results[0]!, '6.1.0-57-amd64')).toBe(
      '[BUG] tracing: trigger write through fd held across kprobe removal WARNs in enable_trace_kprobe',
    );
    expect(subjectOf(evidenceOnly.results[0]!, '6.8.0-rc1')).toBe(
      '[BUG] eventfs: enable open succeeds instead of ENOENT',
    );
    expect(subjectOf(raceOops.results[0]!, '6.18.15+deb13-amd64')).toBe(
      '[BUG] eventfs: group dir getdents64 racing uprobe removal oopses in eventfs_iterate',
    );
    // Without the handler's frame in the trace: the first failed check's file and operation.
    const noFrame = {
      ...warn61.results[0]!,
      health: { ...warn61.results[0]!.health!, kernelLines: warn61.results[0]!.health!.kernelLines.slice(0, 5) },
    };
    expect(subjectOf(noFrame, '6.1.0-57-amd64')).toBe(
      '[BUG] tracing: filter read through fd held across kprobe removal WARNs in enable_trace_kprobe',
    );
    // Only the kernel's complaint (a health failure; the VM console's oops): syzbot's titles.
    const healthOnly = {
      ...warn61.results[0]!,
      evidence: warn61.results[0]!.evidence.filter((e) => e.op === 'kernel health'),
    };
    expect(subjectOf(healthOnly, '6.1.0-57-amd64')).toBe(
      '[BUG] tracing: WARNING in enable_trace_kprobe (fd-across-removal, kprobe)',
    );
    const console = {
      ...raceOops.results[0]!,
      kind: 'vm' as const,
      health: undefined,
      evidence: [
        {
          op: 'console',
          path: 'serial',
          expected: 'no kernel failure report',
          got: 'RIP: 0010:eventfs_iterate+0x29c/0x340',
        },
        { op: 'console', path: 'serial', expected: '', got: 'Oops: 0000 [#1] SMP' },
      ],
    };
    expect(subjectOf(console, '6.18.15+deb13-amd64')).toBe(
      '[BUG] eventfs: oops in eventfs_iterate while running tracefs-regress',
    );
    // Before eventfs a wrong lookup answer is tracefs'.
    expect(subjectOf(evidenceOnly.results[0]!, '6.1.0-57-amd64')).toBe(
      '[BUG] tracefs: enable open succeeds instead of ENOENT',
    );
  });

  it('names KASAN reports, oopses and WARNINGs by the function the kernel names', () => {
    expect(kernelComplaint(['BUG: KASAN: slab-use-after-free in event_enable_write+0x40/0x120'])).toEqual({
      what: 'hits KASAN slab-use-after-free',
      noun: 'KASAN: slab-use-after-free',
      func: 'event_enable_write',
    });
    expect(kernelComplaint(['Oops: 0000 [#1] SMP', 'RIP: 0010:eventfs_iterate+0x29c/0x340'])).toEqual({
      what: 'oopses',
      noun: 'oops',
      func: 'eventfs_iterate',
    });
    expect(kernelComplaint(['hello'])).toBeUndefined();
  });

  it('inlines the reproducer verbatim with how to build and run it, and says where it is when unreadable', () => {
    const text = renderLkml(warn61, opts);
    expect(text).toContain(`---- repro.c (fd-across-removal[kprobe].c) ----\n${REPRO_C}\n---- end of repro.c ----\n`);
    expect(text).toContain('\n  cc -O2 -static -pthread -o repro repro.c && ./repro\n');
    expect(text).toMatch(/minimised: 10 of the 110\s+recorded\s+steps\s+kept/);
    const unread = renderLkml(warn61, { ...opts, reproducer: () => undefined });
    expect(unread).toContain('\n  /tmp/repro/fd-across-removal[kprobe].c\n');
    expect(unread).not.toContain('---- repro.c');
  });

  it('writes one mail per FAIL, separated by a scissors line; nothing for PASS, SKIP or XFAIL', () => {
    const two = renderLkml(report([...warn61.results, pass, ...evidenceOnly.results], { env: warn61.env }), opts);
    expect(two.split(`\n${MAIL_SEPARATOR}\n`)).toHaveLength(2);
    expect(two.match(/^Subject: /gm)).toHaveLength(2);
    expect(renderLkmlMatrix([warn61, raceOops], opts).match(/^Subject: /gm)).toHaveLength(2);
    expect(renderLkml(report([pass, skip, xfail]), opts)).toBe('');
    expect(nothingToReport([report([pass, xfail])])).toBe(
      'tracefs-regress: nothing to report: no scenario failed (1 expected failure (XFAIL): already known)',
    );
  });

  it("is a format like the others, reading reproducers from the report's reproDir", () => {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'lkml-'));
    try {
      fs.writeFileSync(path.join(dir, 'fd-across-removal[kprobe].c'), REPRO_C + '\n');
      const text = render('lkml', { ...warn61, reproDir: dir }, { describe: describeScenario });
      expect(text).toContain(`---- repro.c (fd-across-removal[kprobe].c) ----\n${REPRO_C}\n---- end`);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('the layout checker', () => {
  const blocks: Block[] = [{ prose: 'word '.repeat(40) }, { quote: ['x'.repeat(100), '  indented   spacing kept'] }];

  it('passes the real wrapper', () => {
    const lines = layout(blocks);
    expect(layoutProblems(blocks, lines)).toEqual([]);
    expect(Math.max(...wrapProse('word '.repeat(40), PROSE_WIDTH).map((l) => l.length))).toBeLessThanOrEqual(72);
  });

  it('catches a broken wrapper that leaves a 73-column line', () => {
    // An off-by-one wrapper: fills lines to 73 columns.
    const offByOne: Wrapper = (t, w) => wrapProse(t, w + 1);
    const b: Block[] = [{ prose: 'word '.repeat(14) + 'abc word' }];
    const planted = layout(b, offByOne);
    expect(planted[0]).toHaveLength(73);
    expect(layoutProblems(b, planted)).toEqual(['line 1: 73 columns of prose (at most 72)']);
    // The real wrapper on the same paragraph.
    expect(layoutProblems(b, layout(b))).toEqual([]);
  });

  it('catches a wrapped or changed quoted line and lost words', () => {
    const lines = layout(blocks);
    const wrapped = [...lines.slice(0, -2), 'x'.repeat(72), 'x'.repeat(28), lines.at(-1)!];
    expect(layoutProblems(blocks, wrapped).join('\n')).toMatch(/quoted line changed/);
    const dropped = [lines[0]!.replace(/ word$/, ''), ...lines.slice(1)];
    expect(layoutProblems(blocks, dropped).join('\n')).toMatch(/words changed/);
  });
});
