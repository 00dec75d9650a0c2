// SPDX-License-Identifier: GPL-2.0-only
// `vm --exec` on a real guest (debian:6.12): the program's argv arrives
// unchanged, its stdout and stderr come back apart and byte for byte, its exit
// status is vm's; a kernel panic and a --timeout turn into exit 1 with the
// console lines quoted; a program the guest cannot run is exit 2 before any boot.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, execVm, REQUIRED, ROOT, unavailable, type VmExec } from './helpers.js';

const KERNEL = ['--kernel', 'debian:6.12'];
const ARGS = ['a b', "it's", '"q"', '$(id)', '`id`', 'new\nline', '-x', '*', '', 'é𝕏', 'tab\there', '\\n'];
const why = unavailable();
if (why && !REQUIRED) console.warn(`SKIP vm --exec: ${why}`);

describe.skipIf(why !== undefined && !REQUIRED)('vm --exec on debian:6.12', () => {
  let ok: VmExec, panic: VmExec, slow: VmExec, stalled: VmExec;
  beforeAll(async () => {
    if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
    await buildDist();
    // Through /dev/stdout and /dev/stderr: the links udev would make exist in the guest.
    const script = 'printf "%s\\0" "$@" > /dev/stdout; printf "to stderr" > /dev/stderr; exit 200';
    ok = await execVm([...KERNEL, '--timeout', '300'], '/bin/sh', ['-c', script, 'sh', ...ARGS], 360_000);
    panic = await execVm(
      [...KERNEL, '--timeout', '300'],
      '/bin/sh',
      // A tty write returns once queued, not once the UART sent it: without the pause a panic can beat
      // 'before' out of the guest (CI, 2026-12-02: stdout empty).
      ['-c', 'echo before; sleep 1; echo c > /proc/sysrq-trigger; echo after'],
      360_000,
    );
    slow = await execVm([...KERNEL, '--timeout', '45'], '/bin/sh', ['-c', 'echo started; exec sleep 1000'], 120_000);
    // The test hook stops the first boot's /init before its command, as the stalled TCG boot did.
    stalled = await execVm([...KERNEL, '--timeout', '300'], '/bin/sh', ['-c', 'echo second boot'], 360_000, {
      TRACEFS_REGRESS_TEST_BOOT_STALL_MS: '15000',
    });
  }, 900_000);

  // A run that went wrong keeps its run directory for inspection: these went wrong on purpose.
  afterAll(() => {
    for (const r of [ok, panic, slow, stalled]) {
      const d = r && /run directory kept for inspection: (\S+)/.exec(r.stderr)?.[1];
      if (d) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('passes every argument unchanged, stdout and stderr apart, and exits with the program status (200)', () => {
    expect(ok.stdout.split('\0').slice(0, -1)).toEqual(ARGS);
    expect(ok.stderr).toContain('to stderr');
    expect(ok.stdout).not.toContain('to stderr');
    expect(ok.exitCode).toBe(200);
  });

  it('a kernel panic is exit 1 with the console lines quoted, whatever the program would have said', () => {
    expect(panic.stdout).toBe('before');
    expect(panic.exitCode).toBe(1);
    expect(panic.stderr).toMatch(/KERNEL_FAILURE/);
    expect(panic.stderr).toMatch(/console: Kernel panic - not syncing: sysrq triggered crash/);
  });

  it('a boot that stalls before its command is booted once more, and says so', () => {
    expect(stalled.stderr).toMatch(
      /the guest had not started its command 15 s after QEMU started \(a stalled boot\); booting it once more/,
    );
    expect(stalled.stdout).toBe('second boot');
    expect(stalled.exitCode).toBe(0);
    const kept = /stalled boot's console kept: (\S+)/.exec(stalled.stderr)?.[1];
    expect(kept && fs.readFileSync(kept, 'utf8')).toMatch(/TFSR-GUEST-INIT/);
    if (kept) fs.rmSync(path.dirname(kept), { recursive: true, force: true });
  });

  it('a program still running at --timeout is exit 1, TIMEOUT', () => {
    expect(slow.stdout).toBe('started');
    expect(slow.exitCode).toBe(1);
    expect(slow.stderr).toMatch(/TIMEOUT: the guest did not finish within 45 s/);
  });
});

describe('vm --exec: programs the guest cannot run are usage errors before anything boots', () => {
  const cli = path.join(ROOT, 'bin', 'tracefs-regress.js');
  const plain = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-exec-')), 'data');
  fs.writeFileSync(plain, 'not a program\n', { mode: 0o644 });
  afterAll(() => fs.rmSync(path.dirname(plain), { recursive: true, force: true }));
  const cases: [string, string[], RegExp][] = [
    ['no PATH', ['--exec'], /option '--exec <path>' argument missing/],
    ['a missing file', ['--exec', '/nonexistent/prog'], /no such file on the host/],
    ['a file that is not executable', ['--exec', plain], /is not executable; chmod \+x/],
    ['a path under the guest /proc', ['--exec', '/proc/self/exe'], /not visible in the guest/],
  ];
  for (const [what, args, msg] of cases) {
    it(`${what}: exit 2, saying how to fix it`, async () => {
      const r = await execa(process.execPath, [cli, 'vm', ...args], { reject: false, cwd: ROOT, stdin: 'ignore' });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(msg);
    });
  }
});
