// SPDX-License-Identifier: GPL-2.0-only
// Step 1: the clean kernel (cold, or from ccache) and every mutant, each
// seeded from the clean build's objects so only the patched files recompile.
import { EXIT } from '../../errors.js';
import { buildKernel } from '../build.js';
import type { Mutant } from '../patches.js';
import { loadAvg, type SelftestContext, type SelftestKernel } from './context.js';

/** clean first (the others are seeded from it and compared with it), then the mutants in file order. */
export function kernelsFor(mutants: readonly Mutant[], kasan: boolean): SelftestKernel[] {
  const suffix = kasan ? '-kasan' : '';
  return [
    { name: `clean${suffix}`, mutant: undefined, patches: [] },
    ...mutants.map((m) => ({ name: `${m.name}${suffix}`, mutant: m, patches: [m.file] })),
  ];
}

/** Builds each kernel in order; EXIT.sigint when a signal stopped the run, else undefined. */
export async function buildAll(ctx: SelftestContext, kernels: SelftestKernel[]): Promise<number | undefined> {
  for (const k of kernels) {
    if (ctx.stop.stopping) return EXIT.sigint;
    const l0 = loadAvg();
    ctx.say(`building ${k.name} (load ${l0})`);
    const r = await buildKernel({ name: k.name, kasan: ctx.opts.kasan, patches: k.patches, log: (m) => ctx.say(`  ${m}`) });
    k.build = { bzImage: r.bzImage, seconds: r.seconds, how: r.how, load: `${l0} -> ${loadAvg()}`, source: r.meta.source };
    ctx.say(`  ${r.bzImage} in ${r.seconds} s (${r.how})`);
  }
  return undefined;
}
