// SPDX-License-Identifier: GPL-2.0-only
// The expectations file's validator: the shipped file passes, and every kind
// of bad entry is refused with a UsageError naming the entry and the fix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { loadExpectations, parseExpectations } from '../../../src/expectations/parse.js';
import { EXPECT_SCHEMA } from '../../../src/expectations/types.js';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';
import { refusalOf } from '../../unit/expectations/refusal.js';

const IDS = ['removed-files-enoent', 'fd-across-removal', 'race-getdents', 'race-recreate'];
const good = {
  scenario: 'race-getdents',
  kind: '*',
  release: '6.18.*',
  signature: 'eventfs_iterate',
  action: 'flaky',
  why: 'oops in eventfs_iterate',
};
const doc = (entries: unknown[], top: Record<string, unknown> = {}) =>
  JSON.stringify({ schema: EXPECT_SCHEMA, entries, ...top });
const parse = (text: string) => parseExpectations(text, 'f.json', IDS);
/** The message a bad input gets; fails the test when it is accepted. */
const refusal = (text: string): string => refusalOf(parse, text);

describe('expectations file: accepted', () => {
  it('a good entry, with its source and index kept; a plain signature becomes a one-part list', () => {
    const [e] = parse(doc([good]));
    expect(e).toEqual({ ...good, signature: ['eventfs_iterate'], source: 'f.json', index: 0 });
  });

  it('a signature of several parts, a reference and a description', () => {
    const [e] = parse(
      doc([{ ...good, action: 'xfail', signature: ['WARNING:', 'enable_trace_kprobe'], reference: '6.1.192' }], {
        description: 'ours',
      }),
    );
    expect(e!.signature).toEqual(['WARNING:', 'enable_trace_kprobe']);
    expect(e!.reference).toBe('6.1.192');
  });

  it("the project's own kernel/known-bugs.json, against the real catalogue", () => {
    const file = path.resolve(import.meta.dirname, '..', '..', '..', 'kernel', 'known-bugs.json');
    const entries = loadExpectations(
      file,
      CATALOGUE.map((s) => s.id),
    );
    expect(entries.length).toBeGreaterThanOrEqual(7);
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(['skip', 'xfail']));
    // The 6.18.y oops is one crasher record (ranges, not a build's release glob): no release-glob entry names those races.
    expect(entries.filter((e) => e.scenario.startsWith('race-') && !e.crasher)).toEqual([]);
  });
});

describe('expectations file: refused, naming the entry and the fix', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', '{"schema": ', /not valid JSON .*fix the syntax/],
    ['an array at the top', '[]', /must be an object \{"schema"/],
    ['a wrong schema', JSON.stringify({ schema: 'x@9', entries: [] }), /"schema" must be "tracefs-regress\/expect@1"/],
    [
      'an unknown top-level key',
      doc([], { entrys: [] }),
      /unknown top-level key "entrys": use schema, description, entries/,
    ],
    ['entries not an array', JSON.stringify({ schema: EXPECT_SCHEMA, entries: {} }), /"entries" must be an array/],
    ['an entry that is not an object', doc([good, 'race-*']), /entries\[1\]: must be an object/],
    [
      'an unknown key',
      doc([{ ...good, signatures: 'x' }]),
      /entries\[0\]: unknown key "signatures": use scenario, kind, release, signature, action, why, reference/,
    ],
    ['a missing key', doc([{ ...good, why: undefined }]), /entries\[0\]: "why" is missing/],
    ['an empty why', doc([{ ...good, why: ' ' }]), /"why" must be a non-empty string/],
    [
      'a regex for a scenario',
      doc([{ ...good, scenario: 'race-(getdents|recreate)' }]),
      /"scenario" .* is not an id or glob: .*wildcards \* and \?/,
    ],
    ['a bracket glob', doc([{ ...good, scenario: 'race-[gr]*' }]), /is not an id or glob/],
    [
      'a glob that names no scenario',
      doc([good, { ...good, scenario: 'race-getdent' }]),
      /entries\[1\]: "scenario" "race-getdent" matches no scenario: use one of removed-files-enoent, fd-across-removal/,
    ],
    [
      'an unknown kind',
      doc([{ ...good, kind: 'kprobes' }]),
      /"kind" "kprobes" is not a probe kind: use one of kprobe, uprobe, fprobe, eprobe, synthetic or "\*"/,
    ],
    [
      'a regex release',
      doc([{ ...good, release: '^6\\.18\\.' }]),
      /"release" .* is not a release glob: .*regexes are not supported/,
    ],
    ['a release with a space', doc([{ ...good, release: '6.18 *' }]), /is not a release glob/],
    [
      'an unknown action',
      doc([{ ...good, action: 'ignore' }]),
      /"action" "ignore" is unknown: use xfail \(must fail\), flaky .* or skip/,
    ],
    [
      'a one-character signature',
      doc([{ ...good, signature: 'e' }]),
      /"signature" part "e" is too short to identify a bug/,
    ],
    [
      'an empty signature list',
      doc([{ ...good, signature: [] }]),
      /"signature" must be a string, or an array of strings/,
    ],
    [
      'a number in the signature',
      doc([{ ...good, signature: ['eventfs', 3] }]),
      /"signature" must be a string, or an array/,
    ],
    ['a newline in the signature', doc([{ ...good, signature: 'BUG:\nRIP' }]), /has a control character/],
    ['a reference that is not a string', doc([{ ...good, reference: 12 }]), /"reference" must be a non-empty string/],
  ];
  for (const [what, text, re] of cases) {
    it(what, () => {
      const msg = refusal(text);
      expect(msg).toMatch(/^--expect f\.json: /);
      expect(msg).toMatch(re);
    });
  }

  it('an unreadable file names the path and an example', () => {
    const missing = path.join(os.tmpdir(), 'tfsr-no-such-expect.json');
    expect(() => loadExpectations(missing, IDS)).toThrow(
      /--expect .*tfsr-no-such-expect\.json: cannot read it \(ENOENT\)/,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-expect-'));
    try {
      expect(() => loadExpectations(dir, IDS)).toThrow(/is a directory, not a regular file/);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('expectations file: read bounded (a regular file of at most 1 MiB)', () => {
  const CLI = path.resolve(import.meta.dirname, '../../../bin/tracefs-regress.js');
  /** `run --expect FILE` in a child: the old reader blocked in open(2) on a FIFO and read /dev/zero until it aborted. */
  const runExpect = (file: string) =>
    execa(process.execPath, [CLI, 'run', '-s', 'removed-files-enoent', '-p', 'uprobe', '--expect', file], {
      reject: false,
      timeout: 20_000,
      stdin: 'ignore',
    });

  it('a FIFO and /dev/zero are refused at once: exit 2, one line naming what they are', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-expect-'));
    try {
      const fifo = path.join(dir, 'known.json');
      execFileSync('mkfifo', [fifo]);
      for (const [file, what] of [
        [fifo, 'a FIFO'],
        ['/dev/zero', 'a character device'],
      ] as const) {
        const t0 = Date.now();
        const r = await runExpect(file);
        expect(r.timedOut, `${file} hung`).toBe(false);
        expect(r.exitCode, r.stderr).toBe(2);
        expect(r.stderr).toBe(
          `tracefs-regress: --expect ${file}: is ${what}, not a regular file: give the path of an expectations file (a regular JSON file of at most 1 MiB), e.g. kernel/known-bugs.json`,
        );
        expect(Date.now() - t0).toBeLessThan(10_000);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a file over 1 MiB is refused unparsed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-expect-'));
    try {
      const big = path.join(dir, 'big.json');
      fs.writeFileSync(big, doc([good]) + ' '.repeat(1 << 20));
      expect(() => loadExpectations(big, IDS)).toThrow(/big\.json: is larger than 1 MiB/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
