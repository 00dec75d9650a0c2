// SPDX-License-Identifier: GPL-2.0-only
// A `vm` run's plan as cells: every kernel x every boot, numbered in one
// order (kernel-major) that a sharded run and the unsharded run share.
// `--shard i/n` takes a contiguous block of that order, so a CI job fetches
// few kernels, and every boot's report carries its cell so `report merge`
// can put the shards back together and see what is missing.
import crypto from 'node:crypto';
import { UsageError } from '../../errors.js';
import type { MatrixCell } from '../../report/types.js';

export type { MatrixCell };

export interface Shard {
  index: number;
  count: number;
}

export const MAX_BOOTS = 100;

/** `--boots N`: 1..100. */
export function parseBoots(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_BOOTS)
    throw new UsageError(`--boots ${text}: give a whole number from 1 to ${MAX_BOOTS}`);
  return n;
}

/** `--shard i/n`: 1 <= i <= n <= 1000. */
export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || i < 1 || n < 1 || i > n || n > 1000)
    throw new UsageError(`--shard ${text}: give i/n with 1 <= i <= n (e.g. --shard 2/4 for the second of four jobs)`);
  return { index: i, count: n };
}

/**
 * The plan's fingerprint: the kernels in order, the boots, and what the guest
 * runs. Two shards merge only when they ran the same plan.
 */
export function planId(kernels: readonly string[], boots: number, guestArgs: readonly string[]): string {
  const h = crypto.createHash('sha256').update(JSON.stringify({ kernels, boots, guestArgs }));
  return h.digest('hex').slice(0, 12);
}

/** Every kernel x boot, kernel-major: a kernel's boots are neighbours (one fetch, one shard where possible). */
export function planCells(kernels: readonly string[], boots: number, plan: string): MatrixCell[] {
  const cells = kernels.length * boots;
  return kernels.flatMap((kernel, k) =>
    Array.from({ length: boots }, (_, b) => ({ index: k * boots + b, cells, kernel, boot: b + 1, boots, plan })),
  );
}

/**
 * Shard i of n: the cells from floor((i-1)C/n) to floor(iC/n), contiguous so
 * a job fetches as few kernels as it can; every cell is in exactly one shard.
 * A shard may be empty (more jobs than cells): it boots nothing.
 */
export function shardCells(all: readonly MatrixCell[], s: Shard | undefined): MatrixCell[] {
  if (!s) return [...all];
  const from = Math.floor(((s.index - 1) * all.length) / s.count);
  const to = Math.floor((s.index * all.length) / s.count);
  return all.slice(from, to).map((c) => ({ ...c, shard: `${s.index}/${s.count}` }));
}

/** Which of `count` shards holds cell `index` of `cells` (shardCells' split, inverted): 1-based. */
export function shardOf(index: number, cells: number, count: number): number {
  let i = 1;
  while (i < count && Math.floor((i * cells) / count) <= index) i++;
  return i;
}
