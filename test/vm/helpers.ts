// SPDX-License-Identifier: GPL-2.0-only
// Shared by the VM tests: prerequisites (fail, not skip, when CI demands the
// VM tests), the dist/ build the guest runs, and one `vm` invocation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe } from 'vitest';
import { missingPackages, INSTALL_HINT } from '../../src/vm/qemu/deps.js';
import { vmChild } from '../../src/vm/child.js';
import type { Evidence } from '../../src/model.js';
import { reportSchemaErrors } from '../schema/report-schema.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const REQUIRED = process.env.TRACEFS_REGRESS_REQUIRE_LIVE === '1';
/** The project's expectations: what the suite has found on the kernels its tests boot. */
export const KNOWN_BUGS = path.join(ROOT, 'kernel', 'known-bugs.json');

/** Why the VM tests cannot run here, or undefined when they can. */
export function unavailable(): string | undefined {
  const missing = missingPackages({ debian: true });
  if (missing.length) return `VM prerequisites missing (${missing.join(', ')}): ${INSTALL_HINT}`;
  return undefined;
}

/** The guest runs bin/tracefs-regress.js, i.e. dist/: bring it up to date with src/ first. */
export async function buildDist(): Promise<void> {
  const r = await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, reject: false, all: true });
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')))
    throw new Error(`tsc produced no dist/cli/main.js: ${r.all}`);
}

export interface VmRun {
  exitCode: number | undefined;
  stderr: string;
  /** Wall time of the whole `vm` command. */
  wallMs: number;
  report: {
    env: { kernel: { release: string }; accelerator?: string; features: string[] };
    results: Array<{
      name: string;
      scenario: string;
      kind: string;
      status: string;
      reason?: string;
      evidence: Evidence[];
      health?: { kernelLines: string[] };
      expectation?: { verdict: string; source: string; entry: number; matched?: string; signature: string[] };
    }>;
    interrupted?: string;
  };
}

/** `tracefs-regress vm <vmArgs> -- <runArgs> --format json --output FILE`, report parsed. */
export async function runVm(vmArgs: string[], runArgs: string[], timeoutMs: number): Promise<VmRun> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-vm-')), 'report.json');
  const r = await vmChild<VmRun['report']>(
    { root: ROOT, vmArgs, mode: { kind: 'run', args: runArgs, report: out } },
    { timeoutMs },
  );
  process.stderr.write(r.stderr + '\n');
  if (!r.report) throw new Error(`${r.problem} (vm exit ${r.exitCode ?? r.end}): ${r.stderr.slice(-2000)}`);
  const report = r.report;
  // Every VM report the tests make is also a check of schema/report.schema.json.
  const invalid = reportSchemaErrors(report);
  if (invalid.length)
    throw new Error(`vm's JSON report does not fit schema/report.schema.json:\n${invalid.join('\n')}`);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return { exitCode: r.exitCode, stderr: r.stderr, wallMs: r.wallMs, report };
}

export interface DescribeVmOptions {
  /** Another reason this test cannot run here (checked at collection, like the QEMU prerequisites). */
  unavailable?: () => string | undefined;
  /** Work before the run (e.g. building a kernel); returns vm arguments added before vmArgs. */
  prepare?: () => Promise<string[]>;
}

/**
 * A describe block around one `vm` run: skipped with the reason printed when
 * the prerequisites are missing, a failure when CI requires the VM tests.
 * `body` gets the finished run through a getter (it exists once beforeAll ran).
 */
export function describeVm(
  title: string,
  vmArgs: string[],
  runArgs: string[],
  timeoutMs: number,
  body: (run: () => VmRun) => void,
  opts: DescribeVmOptions = {},
): void {
  const why = unavailable() ?? opts.unavailable?.();
  if (why && !REQUIRED) console.warn(`SKIP ${title}: ${why}`);
  describe.skipIf(why !== undefined && !REQUIRED)(title, () => {
    let run: VmRun | undefined;
    beforeAll(async () => {
      if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
      await buildDist();
      const extra = opts.prepare ? await opts.prepare() : [];
      run = await runVm([...extra, ...vmArgs], runArgs, timeoutMs);
    });
    body(() => {
      if (!run) throw new Error('the VM run did not finish (see beforeAll)');
      return run;
    });
  });
}

export interface VmExec {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** `tracefs-regress vm <vmArgs> --exec <prog> -- <args>`: the program's output and vm's exit status. */
export async function execVm(
  vmArgs: string[],
  prog: string,
  args: string[],
  timeoutMs: number,
  env: Record<string, string> = {},
): Promise<VmExec> {
  const r = await vmChild({ root: ROOT, vmArgs, mode: { kind: 'exec', program: prog, args } }, { timeoutMs, env });
  process.stderr.write(`${r.stderr}\n`);
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, wallMs: r.wallMs };
}
