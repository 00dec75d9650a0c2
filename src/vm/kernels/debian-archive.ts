// SPDX-License-Identifier: GPL-2.0-only
// The archive's kernel releases from the private apt lists: two apt-cache
// queries against its binary cache (a fraction of a second each once built),
// no download.
import type { PrivateApt } from '../../host/apt.js';
import { IMAGE_RE, releasesFrom, type DebianRelease } from './debian-releases.js';

export async function archiveReleases(apt: PrivateApt): Promise<DebianRelease[]> {
  const names = new Set(await apt.names('linux-'));
  const images = [...names].filter((n) => IMAGE_RE.test(n));
  return releasesFrom(await apt.records(images), (p) => names.has(p));
}
