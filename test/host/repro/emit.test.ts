// SPDX-License-Identifier: GPL-2.0-only
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cflags, cstr, emit, runnable, type EmitInput } from '../../../src/repro/emit.js';
import { runtimeSource } from '../../../src/repro/index.js';
import type { ResolvedCheck } from '../../../src/repro/check.js';
import type { Judged, Step } from '../../../src/repro/types.js';

/** x86-64 values (what the addon's constants give there). */
const FLAGS = {
  O_RDONLY: 0,
  O_WRONLY: 1,
  O_RDWR: 2,
  O_APPEND: 0o2000,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_TRUNC: 0o1000,
  O_DIRECTORY: 0o200000,
  O_PATH: 0o10000000,
  O_NONBLOCK: 0o4000,
  O_NOFOLLOW: 0o400000,
  O_CLOEXEC: 0o2000000,
};

const steps: Step[] = [
  { index: 0, call: 'open', args: [{ t: '{root}/uprobe_events' }, { n: 0o2001 }], outcome: { ok: 'number', value: 7 } },
  { index: 1, call: 'write', args: [{ fd: 0 }, { t: 'p:{id}_g1/e2 {target}' }], outcome: { ok: 'number', value: 40 } },
  { index: 2, call: 'close', args: [{ fd: 0 }], outcome: { ok: 'number', value: 0 } },
  { index: 3, call: 'read', args: [{ fd: 9 }, { n: 4096 }], outcome: { err: 'EBADF' } }, // its open was dropped
  { index: 4, call: 'stat', args: [{ t: '{root}/events/{id}_g1/e2/enable' }], outcome: { err: 'ENOENT' } },
];
const judged: Judged = {
  step: 4,
  check: { kind: 'errno', codes: ['ENOENT'] },
  op: 'stat',
  path: '{root}/events/{id}_g1/e2/enable',
  expected: 'ENOENT',
  got: 'success',
};

function input(over: Partial<EmitInput> = {}): EmitInput {
  return {
    runtime: runtimeSource(),
    mode: 'sequence',
    kind: 'uprobe',
    steps,
    judged,
    check: { kind: 'errno', codes: ['ENOENT'] },
    header: {
      name: 'x[uprobe]',
      title: 'a title',
      description: 'does things */ and more',
      references: ['abc123 fix (v6.8)'],
      kernel: { release: '6.18.44', version: '#1 SMP' },
      date: '2026-12-02',
      file: 'x[uprobe].c',
      steps: { kept: 4, total: 5 },
    },
    flags: FLAGS,
    ...over,
  };
}

/** cc -fsyntax-only -Wall -Wextra -Werror: what every generated file must pass. */
function compiles(text: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-emit-'));
  try {
    fs.writeFileSync(path.join(dir, 'r.c'), text);
    execFileSync('cc', ['-std=gnu11', '-fsyntax-only', '-Wall', '-Wextra', '-Werror', 'r.c'], {
      cwd: dir,
      stdio: 'pipe',
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const main = (text: string) => text.slice(text.indexOf('int main('));

describe('emit', () => {
  it('writes one line per runnable step, fds in variables, then the check of the judged step', () => {
    const c = emit(input());
    expect(main(c).split('\n').slice(0, 10)).toEqual([
      'int main(int argc, char **argv) {',
      '  tr_init(argc, argv, "uprobe", NULL);',
      '  int fd0 = (int)tr_open(tr_x("{root}/uprobe_events"), O_WRONLY | O_APPEND, 0).ret;',
      '  tr_write(fd0, tr_x("p:{id}_g1/e2 {target}"));',
      '  tr_close(fd0);',
      '  tr_pause();',
      '  tr_res r = tr_stat(tr_x("{root}/events/{id}_g1/e2/enable"));',
      '  if (r.err == ENOENT) tr_finish();',
      '  tr_reproduced("stat", tr_x("{root}/events/{id}_g1/e2/enable"), "ENOENT", tr_describe(r));',
      '  tr_finish();',
    ]);
    expect(c).toContain(' * does things * / and more');
    expect(c).toContain('Steps kept 4 of 5 recorded.');
    expect(c).toContain("cc -O2 -static -pthread -o repro 'x[uprobe].c' && ./repro");
    compiles(c);
  });

  it('compiles with -Wall -Werror for every kind of check, in health mode and for a kprobe', () => {
    const checks: ResolvedCheck[] = [
      { kind: 'success' },
      { kind: 'error' },
      { kind: 'unlisted', path: '{root}/events/{id}_g1', name: 'e2' },
      { kind: 'listed', path: '{root}/events/{id}_g1/e2', names: ['enable', 'id'] },
      { kind: 'content', path: '{root}/events/{id}_g1/e2/enable', value: '0' },
      { kind: 'gid', path: '{root}/events/{id}_g1/e2/enable', gid: 4242 },
    ];
    expect(() => compiles('int main(void) { int unused; return 0; }')).toThrow(); // the gate itself bites
    let all = '';
    for (const check of checks) {
      const c = emit(input({ check }));
      compiles(c);
      all += main(c);
    }
    compiles(emit(input({ check: undefined, judged: { ...judged, check: { kind: 'that' } } })));
    compiles(emit(input({ mode: 'health', judged: undefined, check: undefined })));
    const k = emit(input({ kind: 'kprobe', symbol: 'do_sys_openat2' }));
    expect(k).toContain('tr_init(argc, argv, "kprobe", "do_sys_openat2");');
    compiles(k);
    expect(all).toContain('if (!l || !tr_has_word(l, "e2")) tr_finish();');
    expect(all).toContain('if (s && !strcmp(s, "0")) tr_finish();');
    expect(all).toContain('tr_st.st_gid == 4242');
  });

  it('drops steps whose fd was not opened by a kept step', () => {
    expect(runnable(steps).map((s) => s.index)).toEqual([0, 1, 2, 4]);
    expect(runnable(steps.slice(1)).map((s) => s.index)).toEqual([4]);
  });

  it('quotes C strings and names open flags', () => {
    expect(cstr('a"b\\c\nd?\x01')).toBe('"a\\"b\\\\c\\nd\\077\\001"');
    expect(cflags(0o2000000 | 0o200000, FLAGS)).toBe('O_RDONLY | O_DIRECTORY');
    expect(cflags(0o1 | 0o2000 | 0o40000000, FLAGS)).toBe('O_WRONLY | O_APPEND | 0x800000');
  });
});
