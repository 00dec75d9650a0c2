// SPDX-License-Identifier: GPL-2.0-only
// SHA-256 as hex, the one owner for both uses: cache keys computed from text
// (kernel build keys, patch contents) and checksums of cached files (kernel
// and QEMU cache entries, verified before each use).
import crypto from 'node:crypto';
import fs from 'node:fs';

/** SHA-256 of a string (as UTF-8) or of bytes. */
export function sha256Of(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of a file's contents. */
export function sha256File(file: string): string {
  return sha256Of(fs.readFileSync(file));
}
