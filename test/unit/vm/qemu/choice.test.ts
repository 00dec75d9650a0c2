// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { chooseQemu, type QemuSources } from '../../../../src/vm/qemu/choice.js';
import { parseQemuVersion, type QemuProbe } from '../../../../src/vm/qemu/version.js';
import { EnvironmentError, UsageError } from '../../../../src/errors.js';

const BP = {
  bin: '/c/qemu/10/usr/bin/qemu-system-x86_64',
  dataDirs: ['/c/qemu/10/usr/share/qemu', '/c/qemu/10/usr/share/seabios'],
};

/** Sources where each binary answers --version as `versions` says (a string: the reason it does not run). */
function sources(versions: Record<string, string>, over: Partial<QemuSources> = {}): QemuSources & { fetched: number } {
  const s = {
    fetched: 0,
    system: '/usr/bin/qemu-system-x86_64',
    probe: async (bin: string): Promise<QemuProbe> => {
      const v = versions[bin];
      if (v === undefined) return { ok: false, why: 'not found' };
      const parsed = parseQemuVersion(`QEMU emulator version ${v}`);
      return parsed ? { ok: true, version: parsed } : { ok: false, why: v };
    },
    backports: async () => {
      s.fetched++;
      return BP;
    },
    ...over,
  };
  return s;
}

describe('QEMU choice', () => {
  it('takes TRACEFS_REGRESS_QEMU first, whatever its version, and fetches nothing', async () => {
    const s = sources({ '/opt/q/qemu': '7.2.0', '/usr/bin/qemu-system-x86_64': '9.0.0' }, { explicit: '/opt/q/qemu' });
    const c = await chooseQemu(s);
    expect(c).toMatchObject({ bin: '/opt/q/qemu', source: 'TRACEFS_REGRESS_QEMU', version: { text: '7.2.0' } });
    expect(s.fetched).toBe(0);
  });

  it('refuses a TRACEFS_REGRESS_QEMU that does not run, naming the fix', async () => {
    const s = sources({ '/opt/q/qemu': 'missing library libfdt.so.1' }, { explicit: '/opt/q/qemu' });
    await expect(chooseQemu(s)).rejects.toThrow(UsageError);
    await expect(chooseQemu(s)).rejects.toThrow(
      /TRACEFS_REGRESS_QEMU=\/opt\/q\/qemu does not run \(missing library libfdt\.so\.1\); point it at a working/,
    );
  });

  it('uses a system QEMU of 8.1 or newer without fetching', async () => {
    const s = sources({ '/usr/bin/qemu-system-x86_64': '8.2.2' });
    expect(await chooseQemu(s)).toMatchObject({ bin: '/usr/bin/qemu-system-x86_64', source: 'system', dataDirs: [] });
    expect(s.fetched).toBe(0);
  });

  it('fetches the bookworm-backports QEMU when the system one is older than 8.1, with its -L dirs', async () => {
    const s = sources({ '/usr/bin/qemu-system-x86_64': '7.2.22', [BP.bin]: '10.0.2' });
    const c = await chooseQemu(s);
    expect(c).toMatchObject({ ...BP, source: 'bookworm-backports', version: { text: '10.0.2' } });
    expect(c.why).toMatch(/system's QEMU 7\.2\.22 is older than 8\.1/);
    expect(c.fallback).toBeUndefined();
  });

  it('falls back to the old system QEMU, with a plain note, when the fetched one lacks a library', async () => {
    const s = sources({ '/usr/bin/qemu-system-x86_64': '7.2.22', [BP.bin]: 'missing library libcapstone.so.5' });
    const c = await chooseQemu(s);
    expect(c).toMatchObject({ bin: '/usr/bin/qemu-system-x86_64', source: 'system', version: { text: '7.2.22' } });
    expect(c.fallback).toMatch(
      /QEMU 7\.2\.22 is older than 8\.1 .*not usable \(it does not run: missing library libcapstone\.so\.5\).*single-threaded TCG.*never run at once/,
    );
  });

  it('falls back when the archive cannot be reached, and when the archive only has an old one', async () => {
    const offline = sources(
      { '/usr/bin/qemu-system-x86_64': '7.2.22' },
      {
        backports: async () => {
          throw new EnvironmentError('cannot update the Debian package lists');
        },
      },
    );
    expect((await chooseQemu(offline)).fallback).toMatch(/not usable \(cannot update the Debian package lists\)/);
    const old = sources({ '/usr/bin/qemu-system-x86_64': '7.2.22', [BP.bin]: '8.0.4' });
    expect((await chooseQemu(old)).fallback).toMatch(/not usable \(it is 8\.0\.4\)/);
  });

  it('fails with the apt command when there is no working QEMU at all', async () => {
    const none = sources(
      {},
      {
        system: undefined,
        backports: async () => {
          throw new Error('offline');
        },
      },
    );
    await expect(chooseQemu(none)).rejects.toThrow(
      /no working QEMU: no system QEMU.*apt-get install -y --no-install-recommends qemu-system-x86/,
    );
    await expect(chooseQemu(none)).rejects.toThrow(EnvironmentError);
  });
});
