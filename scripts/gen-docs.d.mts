// SPDX-License-Identifier: GPL-2.0-only
// Types of scripts/gen-docs.mjs, for the unit test that imports it.
import type { Command } from 'commander';

export declare const CLI_DOC: string;
export declare const HELP_WIDTH: number;
export declare function renderCliDoc(program: Command): string;
