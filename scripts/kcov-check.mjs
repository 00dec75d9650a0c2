// SPDX-License-Identifier: GPL-2.0-only
// One-command check that KCOV works through the addon (run it in a guest of
// the coverage kernel, after `npm run build`): opens kcov, traces a stat(2)
// of the tracefs root and one of a missing file under it, prints the PCs and
// edges each reached. Exit 0 when both traces have PCs; 1 with the reason
// otherwise (no KCOV, debugfs not mounted, an ioctl refused).
//   node scripts/kcov-check.mjs [TRACEFS_DIR]   (default /sys/kernel/tracing)
import { traceEdges } from '../dist/explore/corpus.js';
import { isErr, kcovOpen, KCOV_PATH, native } from '../dist/native/index.js';

const dir = process.argv[2] ?? '/sys/kernel/tracing';
const fail = (why) => {
  process.stdout.write(`kcov-check: FAIL ${why}\n`);
  process.exit(1);
};

const k = kcovOpen();
if (isErr(k)) fail(`${KCOV_PATH}: ${k} (a kernel without CONFIG_KCOV, or debugfs not mounted)`);

const trace = (what, fn) => {
  for (const r of [k.reset(), k.enable()]) if (isErr(r)) fail(`${what}: ${r}`);
  const result = fn();
  const off = k.disable();
  if (isErr(off)) fail(`${what}: ${off}`);
  const pcs = k.collect();
  if (isErr(pcs)) fail(`${what}: ${pcs}`);
  const edges = traceEdges(pcs);
  const hex = [...new Set(pcs)].slice(0, 3).map((pc) => `0xffffffff${pc.toString(16).padStart(8, '0')}`);
  process.stdout.write(
    `kcov-check: ${what} -> ${isErr(result) ? result.code : 'ok'}: ${pcs.length} PCs, ` +
      `${new Set(pcs).size} distinct, ${edges.size} edges (first ${hex.join(' ')})\n`,
  );
  return edges;
};

const a = trace(`stat(${dir})`, () => native.stat(dir));
const b = trace(`stat(${dir}/kcov-check-missing)`, () => native.stat(`${dir}/kcov-check-missing`));
const onlyB = [...b].filter((e) => !a.has(e)).length;
process.stdout.write(`kcov-check: edges of the missing-file stat not in the first: ${onlyB}\n`);
const closed = k.close();
if (isErr(closed)) fail(`close: ${closed}`);
if (a.size === 0 || b.size === 0) fail('a trace was empty: KCOV traced nothing of this thread');
process.stdout.write('kcov-check: OK\n');
