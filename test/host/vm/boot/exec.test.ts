// SPDX-License-Identifier: GPL-2.0-only
// vm --exec's pure parts: the program's argv through the guest's /init
// (property-tested through the real shells that parse it), the host-side
// checks of the program, and the exit status vm returns.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../../src/errors.js';
import { execExitCode, planExec } from '../../../../src/vm/boot/exec.js';
import { BUSYBOX, initScript, sq, type GuestPlan } from '../../../../src/vm/guest/initramfs.js';

const PRINTF = '/usr/bin/printf';
const ARGV = 'argv:';
const plan = (argv: string[]): GuestPlan => ({
  modules: [],
  sharePath: '/c/run/x/share',
  cwd: '/',
  argv,
  env: { PATH: '/usr/bin:/bin', TRACEFS_REGRESS_ACCEL: 'tcg thread=multi' },
  stdio: true,
});

/** The command line /init runs the program with: the `chroot ...` line of the real script. */
function initLine(argv: string[]): string {
  // An argument may hold newlines: the command runs from `chroot` up to the line that takes its status.
  const m = /^chroot \/host [^]*?(?=\ncode=\$\?\n)/m.exec(initScript(plan(argv)));
  if (!m) throw new Error('no chroot command in /init');
  // The test has neither the ports nor the chroot: same words, output to stdout.
  return m[0].replace(/ <\/dev\/null >\/dev\/ttyS1 2>\/dev\/ttyS2$/, '');
}

/**
 * Run `line` as /init would (busybox sh parses /init; /bin/sh inside the
 * chroot runs `exec "$@"`), with chroot as a function that just drops its
 * root: the program is printf '%s\0', so stdout is the argv it got.
 */
function argvThrough(shell: string[], line: string): string[] {
  const r = spawnSync(shell[0]!, [...shell.slice(1), '-c', `chroot() { shift; "$@"; }\n${line}`], {
    encoding: 'buffer',
  });
  const out = r.stdout.toString('utf8');
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr.toString()}`);
  // The first word is the ARGV marker (printf with no argument would still print one empty one).
  const [marker, ...got] = out.slice(0, -1).split('\0');
  if (marker !== ARGV) throw new Error(`the program did not run with the marker first: ${JSON.stringify(out)}`);
  return got;
}

/** Arguments built from the characters a shell treats specially, plus any Unicode. */
const SPECIAL = [...`'"\`$\\ \t\n*?[]{}()<>;&|!#~=%^-`, "'\\''", '$(id)', '${x}', '\r', '\x1b', 'é', '𝕏', '\u2028'];
const arg = fc
  .string({ unit: fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 12 })
  .filter((s) => !s.includes('\0'));

const shells: [string, string[]][] = [
  ['busybox sh (the guest /init)', [BUSYBOX, 'sh']],
  ['/bin/sh (the chroot)', ['/bin/sh']],
];

/** Property: any argv survives `encode` (how /init spells the command), parsed by `shell`. */
const survives = (shell: string[], encode: (args: string[]) => string) =>
  fc.property(fc.array(arg, { maxLength: 6 }), (args) => {
    expect(argvThrough(shell, encode(args))).toEqual(args);
  });

describe('vm --exec: the argv through /init', () => {
  for (const [name, shell] of shells) {
    const why = !fs.existsSync(shell[0]!) ? `${shell[0]} is missing` : !fs.existsSync(PRINTF) ? 'no printf' : '';
    if (why) console.warn(`SKIP argv round trip through ${name}: ${why}`);
    it.skipIf(!!why)(
      `any argv without NUL reaches the program unchanged (${name})`,
      () => {
        fc.assert(
          survives(shell, (args) => initLine([PRINTF, '%s\\0', ARGV, ...args])),
          { numRuns: 100 },
        );
      },
      60_000,
    );
  }

  it.skipIf(!fs.existsSync(BUSYBOX))(
    'the same check catches a planted naive encoding (double quotes)',
    () => {
      const naive = (args: string[]) =>
        `chroot /host /usr/bin/env -i ${[PRINTF, '%s\\0', ARGV, ...args].map((a) => `"${a}"`).join(' ')}`;
      expect(() => fc.assert(survives([BUSYBOX, 'sh'], naive), { numRuns: 100 })).toThrow();
      // The shipped quoting of the same argument the naive one breaks on.
      expect(
        argvThrough([BUSYBOX, 'sh'], `chroot /host ${[PRINTF, '%s\\0', ARGV, '$(id) "x"'].map(sq).join(' ')}`),
      ).toEqual(['$(id) "x"']);
    },
    60_000,
  );

  it('sends the output to the raw ports and stdin from /dev/null, and replaces whatever sits at exit-code', () => {
    const s = initScript(plan(['/bin/true']));
    expect(s).toContain("'/bin/true' </dev/null >/dev/ttyS1 2>/dev/ttyS2\n");
    expect(s).toContain('stty -F /dev/ttyS1 raw -echo && stty -F /dev/ttyS2 raw -echo');
    expect(s).toMatch(
      /rm -rf '\/host\/c\/run\/x\/share\/exit-code'\necho "\$code" > '\/host\/c\/run\/x\/share\/exit-code'/,
    );
    expect(initScript({ ...plan(['/bin/true']), stdio: false })).not.toContain('ttyS1');
  });
});

describe('vm --exec: the program, checked on the host', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-exec-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const prog = path.join(tmp, 'prog');
  fs.writeFileSync(prog, '#!/bin/sh\necho hi\n', { mode: 0o755 });
  const plain = path.join(tmp, 'plain');
  fs.writeFileSync(plain, 'data', { mode: 0o644 });
  fs.symlinkSync(prog, path.join(tmp, 'link'));
  const host = { cwd: '/work', envPath: `/nonexistent:${tmp}` };

  it('takes a path as given, the args unchanged, and binds a program under /tmp back over the guest tmpfs', () => {
    const p = planExec(prog, ['-c', 'a b'], host);
    expect(p).toEqual({
      path: prog,
      argv: [prog, '-c', 'a b'],
      cwd: '/work',
      keepPaths: tmp.startsWith('/tmp/') ? [tmp] : [],
    });
    expect(planExec('prog', [], host).path).toBe(prog); // a bare name through PATH
    expect(planExec('link', [], host).argv[0]).toBe(path.join(tmp, 'link')); // a link keeps its name
    expect(planExec('./prog', [], { cwd: tmp }).path).toBe(prog);
    expect(planExec('/bin/true', [], { cwd: '/proc/1' }).cwd).toBe('/');
  });

  const bad: [string, string | undefined, RegExp][] = [
    ['no path', undefined, /--exec needs the program's path/],
    ['a missing file', path.join(tmp, 'nope'), /no such file on the host/],
    ['a directory', tmp, /not a regular file/],
    ['a file without x bits', plain, /is not executable; chmod \+x/],
    ['a name not in PATH', 'no-such-program-tfsr', /not found in PATH/],
    ['a path the guest replaces', '/proc/self/exe', /not visible in the guest/],
  ];
  for (const [what, p, msg] of bad) {
    it(`refuses ${what} with a usage error (exit 2) that says how to fix it`, () => {
      const f = () => planExec(p, [], host);
      expect(f).toThrow(UsageError);
      expect(f).toThrow(msg);
    });
  }

  it('refuses an argument holding NUL, which no argv carries', () => {
    expect(() => planExec(prog, ['a\0b'], host)).toThrow(/NUL/);
  });
});

describe("vm --exec: vm's exit status", () => {
  it("is the program's own, exactly, for every status 0-255 when the guest ended cleanly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), (c) => execExitCode({ status: 'DONE', guestCode: c }) === c),
    );
  });

  it('is 1 for a kernel failure, a timeout or no result, whatever the program said; 2 for guest setup; 130/143/129 on a signal', () => {
    for (const c of [0, 3, undefined]) {
      expect(execExitCode({ status: 'KERNEL_FAILURE', guestCode: c })).toBe(1);
      expect(execExitCode({ status: 'TIMEOUT', guestCode: c })).toBe(1);
      expect(execExitCode({ status: 'NO_RESULT', guestCode: c })).toBe(1);
      expect(execExitCode({ status: 'GUEST_SETUP', guestCode: c })).toBe(2);
    }
    expect(execExitCode({ status: 'INTERRUPTED', interrupted: 'SIGINT' })).toBe(130);
    expect(execExitCode({ status: 'INTERRUPTED', interrupted: 'SIGTERM' })).toBe(143);
    expect(execExitCode({ status: 'INTERRUPTED', interrupted: 'SIGHUP' })).toBe(129);
  });

  it('is 1 when a clean end carries no status or an impossible one', () => {
    for (const c of [undefined, -1, 256, 1.5, NaN]) expect(execExitCode({ status: 'DONE', guestCode: c })).toBe(1);
  });
});
