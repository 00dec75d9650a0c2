// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../../src/vm/guest/relay-frame.js';
import { ShareSink } from '../../../../src/vm/guest/relay-host.js';
import { Relay } from '../../../../src/vm/guest/relay.js';

describe('the results relay, guest to host', () => {
  let dir: string;
  let guest: string;
  let host: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-relay-'));
    guest = path.join(dir, 'guest');
    host = path.join(dir, 'host');
    fs.mkdirSync(guest);
    fs.mkdirSync(host);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('mirrors the guest share as it grows: appends, subdirectories, a file replaced by rename, not hidden temporaries', () => {
    const sink = new ShareSink(host);
    const relay = new Relay(guest, (line) => sink.feed(Buffer.from(line, 'latin1')));
    fs.writeFileSync(path.join(guest, 'journal.jsonl'), '{"n":1}\n');
    relay.pass();
    expect(fs.readFileSync(path.join(host, 'journal.jsonl'), 'utf8')).toBe('{"n":1}\n');
    fs.appendFileSync(path.join(guest, 'journal.jsonl'), '{"n":2}\n'.repeat(2000));
    fs.mkdirSync(path.join(guest, 'repro'));
    fs.writeFileSync(path.join(guest, 'repro', 'a.c'), 'int main(void) { return 0; }\n');
    fs.writeFileSync(path.join(guest, '.report.json.tmp1'), 'half');
    relay.pass();
    fs.writeFileSync(path.join(guest, 'report.tmp'), '{"short":1}');
    fs.writeFileSync(path.join(guest, 'report.json'), '{"long":"' + 'x'.repeat(100) + '"}');
    relay.pass();
    fs.renameSync(path.join(guest, 'report.tmp'), path.join(guest, 'report.json'));
    fs.writeFileSync(path.join(guest, 'exit-code'), '0\n');
    relay.end();
    expect(sink.ended).toBe(true);
    expect(sink.problems).toEqual([]);
    for (const f of ['journal.jsonl', 'repro/a.c', 'report.json', 'exit-code'])
      expect(fs.readFileSync(path.join(host, f), 'utf8')).toBe(fs.readFileSync(path.join(guest, f), 'utf8'));
    expect(fs.existsSync(path.join(host, '.report.json.tmp1'))).toBe(false);
    expect(fs.readFileSync(path.join(host, 'report.json'), 'utf8')).toBe('{"short":1}');
  });

  it('writes nothing outside the share and no holes, whatever a hostile guest sends', () => {
    const sink = new ShareSink(host, 12);
    const f = (seq: number, p: string, offset: number, data: string) =>
      encodeFrame({ kind: 'file', seq, path: p, offset, data: Buffer.from(data) });
    fs.symlinkSync(dir, path.join(host, 'link'));
    sink.feed(
      Buffer.from(
        f(0, '../escape', 0, 'x') +
          f(1, 'link/escape', 0, 'x') +
          f(2, 'gap', 5, 'x') +
          f(3, 'ok', 0, '12345') +
          f(4, 'ok', 5, '67890') +
          f(5, 'ok', 10, 'over the limit'),
      ),
    );
    expect(fs.existsSync(path.join(dir, 'escape'))).toBe(false);
    expect(fs.existsSync(path.join(host, 'gap'))).toBe(true);
    expect(fs.statSync(path.join(host, 'gap')).size).toBe(0);
    expect(fs.readFileSync(path.join(host, 'ok'), 'utf8')).toBe('1234567890');
    expect(sink.problems.join('\n')).toMatch(/"\.\.\/escape": component/);
    expect(sink.problems.join('\n')).toMatch(/link\/escape: link is no directory/);
    expect(sink.problems.join('\n')).toMatch(/gap: offset 5 past its end 0/);
    expect(sink.problems.join('\n')).toMatch(/more than 12 bytes in all/);
  });
});
