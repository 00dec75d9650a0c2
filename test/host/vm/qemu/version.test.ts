// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import {
  mttcgSafe,
  parseQemuVersion,
  probeFailure,
  probeQemu,
  versionAtLeast,
} from '../../../../src/vm/qemu/version.js';

describe('QEMU version', () => {
  it('reads the version from --version output', () => {
    expect(
      parseQemuVersion('QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)\nCopyright (c) 2003-2025'),
    ).toEqual({
      major: 10,
      minor: 0,
      micro: 2,
      text: '10.0.2',
    });
    expect(parseQemuVersion('QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)')?.text).toBe('7.2.22');
    expect(parseQemuVersion('QEMU emulator version 9.1')?.text).toBe('9.1.0');
  });

  it("refuses text that is not QEMU's", () => {
    expect(parseQemuVersion('')).toBeUndefined();
    expect(parseQemuVersion('qemu-img version 10.0.2')).toBeUndefined();
    expect(parseQemuVersion('Usage: busybox [function]')).toBeUndefined();
  });

  it('compares major and minor (8.1 is the first safe one for multi-threaded TCG)', () => {
    const v = (t: string) => parseQemuVersion(`QEMU emulator version ${t}`)!;
    expect(mttcgSafe(v('8.1.0'))).toBe(true);
    expect(mttcgSafe(v('10.0.2'))).toBe(true);
    expect(mttcgSafe(v('8.0.5'))).toBe(false);
    expect(mttcgSafe(v('7.2.22'))).toBe(false);
    expect(mttcgSafe(undefined)).toBe(false);
    expect(versionAtLeast(v('9.0.0'), 8, 1)).toBe(true);
  });

  it('says why a binary does not run, naming a missing library', () => {
    expect(
      probeFailure({
        exitCode: 127,
        stdout: '',
        stderr:
          '/c/qemu-system-x86_64: error while loading shared libraries: libcapstone.so.5: cannot open shared object file: No such file or directory',
      }),
    ).toMatch(/^missing library libcapstone\.so\.5; Debian 12's qemu-system-x86/);
    expect(probeFailure({ stdout: '', stderr: '', code: 'ENOENT' })).toBe('not found');
    expect(probeFailure({ exitCode: 1, stdout: '', stderr: 'qemu: unsupported\n' })).toBe(
      '--version exited 1: qemu: unsupported',
    );
    expect(probeFailure({ exitCode: 0, stdout: 'hello', stderr: '' })).toMatch(/printed no QEMU version/);
  });

  it('probes a missing binary and a binary that is not QEMU as not ok', async () => {
    expect(await probeQemu('/nonexistent/qemu-system-x86_64')).toEqual({ ok: false, why: 'not found' });
    const r = await probeQemu('/bin/echo');
    expect(r.ok).toBe(false);
  });
});
