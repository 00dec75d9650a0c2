// SPDX-License-Identifier: GPL-2.0-only
// Step 3, the peer: ftracetest's kprobe, dynevent and instances sets on the
// same kernels, in-process through the VM runner's boot (kernel/ftracetest.ts).
import path from 'node:path';
import { EXIT } from '../../errors.js';
import { renderFtraceTable } from './tables.js';
import { chooseAccel } from '../../vm/qemu/accel.js';
import { runFtracetest } from '../ftracetest.js';
import type { SelftestContext, SelftestKernel } from './context.js';
import { compareFtrace } from './verdict.js';

/** Runs ftracetest on each kernel; EXIT.sigint when a signal stopped the run. */
export async function runFtracetests(ctx: SelftestContext, kernels: SelftestKernel[]): Promise<number | undefined> {
  const { accel } = await chooseAccel({}, async () => false);
  for (const k of kernels) {
    if (ctx.stop.stopping) return EXIT.sigint;
    ctx.say(`ftracetest on ${k.name}`);
    const r = await runFtracetest({
      bzImage: k.build!.bzImage,
      sourceDir: k.build!.source,
      accel,
      timeoutMs: ctx.opts.timeoutS * 1000,
      keepLog: path.join(ctx.opts.outDir, `${k.name}.ftracetest.console.log`),
    });
    k.ftrace = { cases: r.cases, status: r.boot.status, message: r.boot.message, wallMs: r.wallMs, consoleFailures: r.boot.consoleFailures };
    const counts: Record<string, number> = {};
    for (const c of r.cases) counts[c.status] = (counts[c.status] ?? 0) + 1;
    ctx.say(`  ${r.boot.status}: ${JSON.stringify(counts)} in ${(r.wallMs / 1000).toFixed(0)} s`);
  }
  return undefined;
}

/** Every kernel against the clean one (the first). */
export function ftraceTable(kernels: SelftestKernel[]): string {
  const clean = kernels[0]?.ftrace;
  const rows = kernels.map((k, i) => {
    k.ftraceVerdict = compareFtrace(clean, k.ftrace);
    return { name: k.name, clean: i === 0, comparison: k.ftraceVerdict, wallMs: k.ftrace?.wallMs ?? 0 };
  });
  return renderFtraceTable(rows);
}
