// SPDX-License-Identifier: GPL-2.0-only
// The real archive through the private apt state: `kernel list --debian
// --json` and what `vm --fetch-only` does with its releases. No guest boots;
// the lists are updated at most once (when a day old), a release is fetched
// the newest 6.18 is fetched into the shared kernel cache (test/vm/30 boots it),
// and the newest 7.0's vmlinuz (about 14 MB: the archive has no modules for it).
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DebianListing } from '../../src/vm/kernels/debian-list.js';
import { buildDist, REQUIRED, ROOT, unavailable } from './helpers.js';

const CLI = path.join(ROOT, 'bin', 'tracefs-regress.js');
const cli = (...args: string[]) =>
  execa(process.execPath, [CLI, ...args], { cwd: ROOT, reject: false, stdin: 'ignore' });

const why = unavailable();
if (why && !REQUIRED) console.warn(`SKIP the Debian archive: ${why}`);

describe.skipIf(why !== undefined && !REQUIRED)("the Debian archive's kernel releases", () => {
  let listing: DebianListing;
  beforeAll(async () => {
    if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
    await buildDist();
    const r = await cli('kernel', 'list', '--debian', '--json');
    expect({ code: r.exitCode, err: r.stderr }).toMatchObject({ code: 0 });
    listing = JSON.parse(r.stdout) as DebianListing;
  }, 600_000);

  it('kernel list --debian --json: every release, 6.19.x marked bootable from the vmlinuz alone and why', () => {
    expect(listing.releases.length).toBeGreaterThanOrEqual(60);
    const s619 = listing.releases.filter((r) => r.series === '6.19');
    expect(s619.length).toBeGreaterThan(0);
    for (const r of s619) {
      expect(r.bootable).toBe(true);
      expect(r.packages).toEqual([`linux-binary-${r.abi}-amd64`]);
      expect(r.boot).toMatch(/^bootable \(vmlinuz only: linux-modules .*not in the archive\)$/);
    }
    for (const s of ['6.1', '6.12', '6.18'])
      expect(listing.releases.some((r) => r.series === s && r.bootable && !r.vmlinuzOnly)).toBe(true);
    expect(listing.releases.map((r) => r.spec)).toContain('debian:6.18.12+deb13');
  });

  it('vm --fetch-only --kernel debian:7.0 fetches its newest vmlinuz alone and says so', async () => {
    const r = await cli('vm', '--fetch-only', '--kernel', 'debian:7.0');
    expect({ code: r.exitCode, err: r.stderr.slice(-2000) }).toMatchObject({ code: 0 });
    expect(r.stderr).toMatch(
      /debian:7\.0 is 7\.0\.\d+\+deb13 \(the newest bootable of 7\.0\); it boots from its vmlinuz alone/,
    );
    expect(r.stdout).toMatch(/^debian:7\.0 7\.0\.\d+\+deb13-amd64 \S+\/vmlinuz$/m);
    expect(r.stderr).not.toMatch(/network|not supported/);
  }, 600_000);

  it('vm --fetch-only --kernel debian:<exact release> fetches that release', async () => {
    // The release debian:6.18 boots (test/vm/30 fetches it too), named by its upstream version: no extra download in CI.
    const want = listing.releases.filter((r) => r.series === '6.18' && r.bootable).at(-1)!;
    const r = await cli('vm', '--fetch-only', '--kernel', `debian:${want.upstream}`);
    expect({ code: r.exitCode, err: r.stderr.slice(-2000) }).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(
      new RegExp(
        `^debian:${want.upstream!.replace(/\./g, '\\.')} ${want.release.replace(/[.+]/g, '\\$&')} \\S+/vmlinuz$`,
        'm',
      ),
    );
  }, 900_000);
});
