// SPDX-License-Identifier: GPL-2.0-only
import { describe, it, expect } from 'vitest';
import { renderJunit, renderJunitMatrix, suiteName, failureText } from '../../../src/report/junit.js';
import { pass, skip, fail, unresolved, race, raceMulti, raceSingle, NO_OVERLAP, report } from './fixtures.js';

/** The attributes of every <tag ...> in xml, in order. */
function tags(xml: string, tag: string): Array<Record<string, string>> {
  return [...xml.matchAll(new RegExp(`<${tag}((?:\\s+[\\w.:-]+="[^"]*")*)\\s*/?>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w.:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}

describe('JUnit XML', () => {
  const xml = renderJunit(
    report([pass, skip, fail, unresolved, race], { env: { ...report([]).env, accelerator: 'tcg thread=single' } }),
  );

  it('has one suite named after the kernel and accelerator, with counts', () => {
    const suites = tags(xml, 'testsuite');
    expect(suites).toHaveLength(1);
    expect(suites[0]).toMatchObject({
      name: 'tracefs-regress 6.18.44-fc-v782 (tcg thread=single)',
      tests: '5',
      failures: '1',
      errors: '1',
      skipped: '1',
    });
    expect(xml).toContain('<property name="kernel.release" value="6.18.44-fc-v782"/>');
    expect(xml).toContain('<property name="accelerator" value="tcg thread=single"/>');
  });

  it('has one testcase per result: classname = scenario id, name = result name', () => {
    const cases = tags(xml, 'testcase');
    expect(cases.map((c) => [c.classname, c.name])).toEqual([
      ['removed-files-enoent', 'removed-files-enoent[uprobe]'],
      ['removed-files-enoent', 'removed-files-enoent[kprobe]'],
      ['held-fd-enodev', 'held-fd-enodev[uprobe]'],
      ['instances', 'instances[uprobe]'],
      ['race-reopen', 'race-reopen[uprobe]'],
    ]);
    expect(cases[0]!.time).toBe('0.035');
  });

  it('puts the evidence and kernel lines in the failure, the reason with the skip', () => {
    const f = tags(xml, 'failure');
    expect(f).toHaveLength(1);
    expect(f[0]!.type).toBe('FAIL');
    expect(f[0]!.message).toContain('read /sys/kernel/tracing/events/g/e/enable: expected ENODEV');
    expect(xml).toContain('BUG: KASAN: slab-use-after-free in event_enable_write');
    expect(xml).toContain('<skipped message="kprobe_events not available in this kernel"/>');
    expect(xml).toMatch(/SKIP: kprobe_events not available/);
    expect(tags(xml, 'error')[0]).toMatchObject({
      type: 'UNRESOLVED',
      message: 'could not remove: instances/tfsr_1_ab',
    });
  });

  it('carries race statistics as properties and system-out', () => {
    expect(xml).toContain('<property name="stats.opsPerSec" value="210000"/>');
    expect(xml).toContain('<property name="stats.violations" value="0"/>');
    expect(xml).toContain('"cycles":90000,"cyclesPerSec":90000');
  });

  it('lists the kernel lines once in the failure text', () => {
    const t = failureText(fail);
    expect(t.match(/BUG: KASAN/g)).toHaveLength(1);
    expect(t).toContain('kernel health: oops_count 0 -> 1');
  });

  it('escapes XML and keeps bytes XML cannot carry visible', () => {
    const x = renderJunit(
      report([{ ...fail, evidence: [{ op: 'write', path: '/x', expected: '<ok>', got: 'a & "b" \x01 ]]> end' }] }]),
    );
    expect(x).toContain('message="write /x: expected &lt;ok&gt;, got a &amp; &quot;b&quot; \\x01 ]]&gt; end"');
    expect(x).not.toMatch(/[\x00-\x08]/);
    // No CDATA at all: character data is escaped, so "]]>" cannot end anything early.
    expect(x).not.toContain('<![CDATA[');
    expect(x).toContain('>write /x: expected &lt;ok&gt;, got a &amp; "b" \\x01 ]]&gt; end');
  });

  it('nests several runs as several suites, and does not accumulate between calls', () => {
    const a = report([pass]);
    const b = report([fail], { env: { ...a.env, kernel: { ...a.env.kernel, release: '6.1.0-40-amd64' } } });
    const x = renderJunitMatrix([a, b]);
    expect(tags(x, 'testsuite').map((s) => s.name)).toEqual([suiteName(a), 'tracefs-regress 6.1.0-40-amd64']);
    expect(tags(x, 'testsuites')[0]).toMatchObject({ tests: '2', failures: '1' });
    expect(tags(renderJunit(a), 'testsuite')).toHaveLength(1);
  });
});

describe('JUnit: race properties and the no-overlap note', () => {
  it('gives the race figures as properties, cycles/s first', () => {
    const props = tags(renderJunit(report([raceMulti])), 'property').filter((p) => p.name!.startsWith('race.'));
    expect(props.map((p) => p.name)).toEqual([
      'race.cyclesPerSec',
      'race.cycles',
      'race.opsPerSec',
      'race.ops',
      'race.threads',
      'race.cpus',
      'race.overlap',
      'race.overlapWhy',
    ]);
    expect(props[0]).toEqual({ name: 'race.cyclesPerSec', value: '1004' });
    expect(props.find((p) => p.name === 'race.overlap')?.value).toBe('yes');
  });

  it('carries the note as a property and in system-out when the workers could not overlap (planted)', () => {
    const xml = renderJunit(report([raceSingle], { env: { ...report([]).env, accelerator: 'tcg thread=single' } }));
    expect(xml).toContain('<property name="accelerator" value="tcg thread=single"/>');
    const note = tags(xml, 'property').find((p) => p.name === 'race.note');
    expect(note?.value).toMatch(NO_OVERLAP);
    expect(/<system-out>(?:<!\[CDATA\[)?([^<]*)/.exec(xml)?.[1]).toMatch(new RegExp(`note: ${NO_OVERLAP.source}`));
    expect(renderJunit(report([raceMulti]))).not.toMatch(/could not overlap/);
  });
});
