// SPDX-License-Identifier: GPL-2.0-only
// The archive's generic amd64 kernels as the private lists held them on
// 2026-12-04 (fixtures/debian-archive.json): 76 releases, 6.19.x, 7.0.x and
// 7.1.x without their linux-modules/linux-base packages.
import fs from 'node:fs';
import path from 'node:path';
import { releasesFrom, type DebianRelease, type ImageRecord } from '../../../src/vm/kernels/debian-releases.js';

export const ARCHIVE = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'debian-archive.json'), 'utf8'),
) as { names: string[]; images: ImageRecord[] };

export function archive(): DebianRelease[] {
  const names = new Set(ARCHIVE.names);
  return releasesFrom(ARCHIVE.images, (p) => names.has(p));
}

/** Planted: the same archive without the vmlinuz (linux-binary) of 6.19.x, 7.0.x and 7.1.x either: nothing of them boots. */
export function archiveWithoutVmlinuz(): DebianRelease[] {
  const names = new Set(ARCHIVE.names.filter((n) => !/^linux-binary-(6\.19|7\.0|7\.1)\./.test(n)));
  return releasesFrom(ARCHIVE.images, (p) => names.has(p));
}
