// SPDX-License-Identifier: GPL-2.0-only
// The explorer's seeded randomness: sfc32 (Chris Doty-Humphrey's Small Fast
// Counting generator, PractRand-clean, 32-bit state words), seeded through
// splitmix32 so nearby seeds (1, 2, 3) give unrelated streams. Deterministic
// per seed on every platform: only 32-bit integer arithmetic.
import type { Rng } from './types.js';

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number) {
    const mix = splitmix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    // The generator's authors discard the first outputs so the state is mixed.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32)
      throw new RangeError(`rng.int(n): n must be an integer 1..2^32 (got ${n})`);
    // Rejection sampling: no modulo bias.
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.next();
      if (x < limit) return x % n;
    }
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('rng.pick of an empty list');
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() / 2 ** 32 < p;
  }
}

/** The explorer's Rng for a seed (--seed). */
export function seededRng(seed: number): Sfc32 {
  return new Sfc32(seed);
}

/** Picks a key with probability proportional to its weight (weights >= 0, not all 0). */
export function weighted<K extends string>(rng: Rng, weights: Readonly<Partial<Record<K, number>>>): K {
  const entries = Object.entries(weights).filter(([, w]) => (w as number) > 0) as [K, number][];
  if (entries.length === 0) throw new RangeError('weighted pick: no positive weight');
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = rng.int(Math.max(1, Math.round(total * 1000))) / 1000;
  for (const [k, w] of entries) {
    if (x < w) return k;
    x -= w;
  }
  return entries[entries.length - 1]![0];
}
