// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import {
  badSharePath,
  encodeFrame,
  FrameParser,
  parseFrame,
  FRAME_DATA_MAX,
} from '../../../../src/vm/guest/relay-frame.js';

const file = (seq: number, p: string, offset: number, data: string) =>
  encodeFrame({ kind: 'file', seq, path: p, offset, data: Buffer.from(data) });

describe("the self-contained guest's results framing", () => {
  it('round-trips file and end frames, whatever the chunking, with CRs and console noise around them', () => {
    const text =
      `boot noise\r\n${file(0, 'journal.jsonl', 0, '{"a":1}\n')}${file(1, 'repro/x.c', 0, 'int main(){}')}`.replace(
        /\n/g,
        '\r\n',
      ) + encodeFrame({ kind: 'end', seq: 2 });
    for (const step of [1, 7, 4096]) {
      const p = new FrameParser();
      const got = [];
      for (let i = 0; i < text.length; i += step) got.push(...p.feed(Buffer.from(text.slice(i, i + step), 'latin1')));
      expect(got.map((f) => (f.kind === 'file' ? `${f.path}@${f.offset}:${f.data.toString()}` : 'end'))).toEqual([
        'journal.jsonl@0:{"a":1}\n',
        'repro/x.c@0:int main(){}',
        'end',
      ]);
      expect(p.problems).toEqual([]);
      expect(p.ended).toBe(true);
    }
  });

  it('refuses a garbled, cut, replayed or oversized frame and keeps the good ones around it', () => {
    const good0 = file(0, 'a', 0, 'x');
    const flipped = file(1, 'a', 1, 'y').replace(' 1 eQ== ', ' 1 eg== ');
    const cut = file(1, 'a', 1, 'y').slice(0, 30) + '\n';
    const good1 = file(1, 'a', 1, 'y');
    const big = file(3, 'b', 0, 'z'.repeat(FRAME_DATA_MAX + 1));
    const p = new FrameParser();
    const got = p.feed(good0 + flipped + cut + good1 + good0 + big);
    expect(got.map((f) => f.seq)).toEqual([0, 1]);
    expect(p.problems).toEqual([
      'check mismatch (a cut or garbled line)',
      'check mismatch (a cut or garbled line)',
      'sequence 0 after 1 (replayed or reordered)',
      `more than ${FRAME_DATA_MAX} bytes`,
    ]);
    expect(p.ended).toBe(false);
  });

  it('says when frames were lost between two good ones', () => {
    const p = new FrameParser();
    expect(p.feed(file(0, 'a', 0, 'x') + file(5, 'a', 1, 'y'))).toHaveLength(2);
    expect(p.problems).toEqual(['frames 1..4 lost']);
  });

  it('drops a line longer than any frame instead of growing without bound', () => {
    const p = new FrameParser();
    p.feed('TFSR1 ' + 'A'.repeat(10_000));
    expect(p.problems).toEqual(['an over-long line']);
    expect(p.feed(file(0, 'a', 0, 'x'))).toHaveLength(1);
  });

  it.each([
    ['TFSR1 F 0 YQ 0 eA== 0000000000000000', /check mismatch/],
    ['TFSR1', /not a frame/],
    ['hello', /not a frame/],
  ])('parseFrame(%j) is refused', (line, why) => {
    expect((parseFrame(line) as { error: string }).error).toMatch(why);
  });

  it.each(['../etc/passwd', '/etc/passwd', 'a//b', '.hidden', 'a/./b', 'a\\b', 'x\0y', 'a/b/c/d/e', ''])(
    'a share path %j is refused',
    (p) => expect(badSharePath(p)).toBeDefined(),
  );

  it.each(['report.json', 'journal.jsonl', 'exit-code', 'repro/race-getdents.uprobe.c'])(
    'a share path %j is fine',
    (p) => expect(badSharePath(p)).toBeUndefined(),
  );
});
