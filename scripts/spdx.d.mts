// SPDX-License-Identifier: GPL-2.0-only
// Types of scripts/spdx.mjs, for the unit test that imports it.
export interface TrackedFile {
  path: string;
  text: string;
}
export declare const LICENSE_ID: string;
export declare const EXEMPT: { pattern: RegExp; why: string }[];
export declare function spdxLine(file: string, text: string): string | undefined;
export declare function missingSpdx(files: TrackedFile[]): string[];
export declare function withSpdx(file: string, text: string): string;
export declare function indexPaths(buf: Buffer): string[];
export declare function indexFile(root: string): string;
export declare function trackedFiles(root: string): TrackedFile[];
