// SPDX-License-Identifier: GPL-2.0-only
// The real I/O of `kernel bisect --releases`: the archive's releases, and one
// boot of one release in a `vm` child, judged as a git bisect step's boot is
// (outcome.ts). The kernel is fetched (or found in the cache) before the boot
// starts, so a step's seconds are the guest's, not the download's.
import fs from 'node:fs';
import path from 'node:path';
import { EnvironmentError } from '../../errors.js';
import { PrivateApt } from '../../host/apt.js';
import { cacheDirs, cacheRoot } from '../../host/paths.js';
import { archiveReleases } from '../../vm/kernels/debian-archive.js';
import type { DebianRelease } from '../../vm/kernels/debian-releases.js';
import { cachedReleases, resolveDebian } from '../../vm/kernels/kernels.js';
import { CONSOLE_RESULT } from '../../vm/matrix/matrix.js';
import { stepOutcome } from './outcome.js';
import { bootForBisect } from './step.js';
import { selectBisectReleases, type BisectSelection } from './releases.js';
import type { Boot } from './search.js';

/** The spec's releases from the archive's lists; from the kernel cache alone when the archive is unreachable. */
export async function archiveSelection(spec: string, say: (m: string) => void): Promise<BisectSelection> {
  const apt = new PrivateApt(cacheDirs.apt());
  let all: DebianRelease[];
  try {
    await apt.update();
    all = await archiveReleases(apt);
  } catch (e) {
    all = cachedReleases();
    if (!all.length) throw new EnvironmentError(`${(e as Error).message} (and the kernel cache is empty)`);
    say(`archive unreachable (${(e as Error).message}); bisecting the cached releases only`);
  }
  return selectBisectReleases(spec, all);
}

/** Where one boot keeps its report and logs (a re-run overwrites). */
export function bootDir(abi: string, boot: number): string {
  return path.join(cacheRoot(), 'bisect', 'releases', abi, `boot-${boot + 1}`);
}

export interface BootIo {
  /** The package root (bin/tracefs-regress.js). */
  root: string;
  timeout: string;
  /** The guest's run options (releases.ts guestRunArgs). */
  guestArgs: string[];
  say: (m: string) => void;
  /** Aborted by a signal: the running boot ends. */
  signal?: AbortSignal;
}

export async function bootRelease(r: DebianRelease, boot: number, io: BootIo): Promise<Boot> {
  const spec = `debian:${r.abi}`;
  try {
    await resolveDebian(spec, (m) => io.say(`  ${m}`));
  } catch (e) {
    return { verdict: 'skip', seconds: 0, why: `could not fetch ${r.abi}: ${(e as Error).message.split('\n')[0]}` };
  }
  const dir = bootDir(r.abi, boot);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const res = await bootForBisect(spec, dir, { root: io.root, timeout: io.timeout, runArgs: io.guestArgs, signal: io.signal });
  const seconds = (Date.now() - t0) / 1000;
  const parsed = res.report;
  const out = stepOutcome(parsed, res.exitCode);
  const consoleLine = parsed?.results.find((x) => x.scenario === CONSOLE_RESULT)?.evidence[0]?.got;
  const last = parsed ? undefined : res.all.split('\n').filter(Boolean).at(-1);
  return {
    verdict: out.verdict,
    seconds,
    why: last ? `${out.why}: ${last}` : out.why,
    ...(out.verdict === 'bad' ? { failing: out.why } : {}),
    ...(consoleLine ? { console: consoleLine } : {}),
    logs: dir,
  };
}
