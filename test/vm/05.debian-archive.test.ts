// The real archive through the private apt state: `kernel list --debian
// --json` and what `vm --fetch-only` does with its releases. No guest boots;
// the lists are updated at most once (when a day old), a release is fetched
// the newest 6.18 is fetched into the shared kernel cache (test/vm/30 boots it).
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DebianListing } from '../../src/vm/debian-list.js';
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

  it('kernel list --debian --json: every release, 6.19.x marked not bootable and why', () => {
    expect(listing.releases.length).toBeGreaterThanOrEqual(60);
    const s619 = listing.releases.filter((r) => r.series === '6.19');
    expect(s619.length).toBeGreaterThan(0);
    for (const r of s619) {
      expect(r.bootable).toBe(false);
      expect(r.why).toMatch(/linux-modules .*not in the archive/);
    }
    for (const s of ['6.1', '6.12', '6.18'])
      expect(listing.releases.some((r) => r.series === s && r.bootable)).toBe(true);
    expect(listing.releases.map((r) => r.spec)).toContain('debian:6.18.12+deb13');
  });

  it('vm --fetch-only --kernel debian:7.0 fails at once, naming what the archive lacks (not the network)', async () => {
    const r = await cli('vm', '--fetch-only', '--kernel', 'debian:7.0');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/debian:7\.0: none of the \d+ releases of 7\.0 .* can be booted: their linux-modules/);
    expect(r.stderr).toMatch(/boot from vmlinuz alone is not supported yet: pick a bootable one, e\.g\. debian:7\./);
    expect(r.stderr).not.toMatch(/network/);
  }, 120_000);

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
