// SPDX-License-Identifier: GPL-2.0-only
// `vm --repro-dir` on a real guest (debian:6.1, whose held-fd WARN is a real
// finding: kernel/known-bugs.json): the guest's run writes the reproducer into
// the results share, the host copies it to DIR and its report points there;
// the file builds statically on the host, reproduces in a fresh 6.1 guest
// (`vm --exec`: REPRODUCED, exit 1) and not on debian:6.12 (exit 0).
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/report/types.js';
import { vmChild } from '../../src/vm/child.js';
import { buildDist, execVm, REQUIRED, ROOT, unavailable, type VmExec } from './helpers.js';

const why = unavailable();
if (why && !REQUIRED) console.warn(`SKIP vm --repro-dir: ${why}`);

describe.skipIf(why !== undefined && !REQUIRED)(
  'vm --repro-dir on debian:6.1, the reproducer run with vm --exec',
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-repro-vm-'));
    const repro = path.join(dir, 'repro');
    const bin = path.join(dir, 'fd-across-removal-kprobe');
    let gen: { exitCode: number | undefined; stderr: string; report: RunReport };
    let build: { exitCode: number | undefined; all: string };
    let own: VmExec, clean: VmExec;

    beforeAll(async () => {
      if (why) throw new Error(`TRACEFS_REGRESS_REQUIRE_LIVE=1 but ${why}`);
      await buildDist();
      const out = path.join(dir, 'report.json');
      const r = await vmChild(
        {
          root: ROOT,
          kernel: 'debian:6.1',
          timeout: '600',
          vmArgs: ['--repro-dir', repro],
          mode: { kind: 'run', args: ['-s', 'fd-across-removal', '-p', 'kprobe'], report: out },
        },
        { timeoutMs: 700_000 },
      );
      process.stderr.write(r.stderr + '\n');
      if (!r.report) throw new Error(`vm: ${r.problem ?? r.end}`);
      gen = { exitCode: r.exitCode, stderr: r.stderr, report: r.report };
      const c = path.join(repro, 'fd-across-removal[kprobe].c');
      const b = await execa('cc', ['-O2', '-static', '-pthread', '-o', bin, c], { reject: false, all: true });
      build = { exitCode: b.exitCode, all: String(b.all) };
      if (b.exitCode !== 0) return;
      own = await execVm(['--kernel', 'debian:6.1', '--timeout', '300'], bin, [], 360_000);
      clean = await execVm(['--kernel', 'debian:6.12', '--timeout', '300'], bin, [], 360_000);
    }, 1_500_000);

    // The generating run failed on purpose (the WARN): its kept run directory goes too.
    afterAll(() => {
      const kept = gen && /run directory kept for inspection: (\S+)/.exec(gen.stderr)?.[1];
      if (kept) fs.rmSync(kept, { recursive: true, force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("copies the guest's reproducer to DIR and points the report at it", () => {
      expect(gen.exitCode).toBe(1); // the WARN is a FAIL without --expect
      const r = gen.report.results.find((x) => x.name === 'fd-across-removal[kprobe]');
      expect(r?.status).toBe('FAIL');
      expect(gen.report.reproDir).toBe(repro);
      expect(r?.reproducer?.file).toBe('fd-across-removal[kprobe].c');
      expect(fs.readdirSync(repro)).toContain('fd-across-removal[kprobe].c');
      expect(fs.readFileSync(path.join(repro, r!.reproducer!.file), 'utf8')).toMatch(/cc -O2 -static -pthread/);
      expect(gen.stderr).toMatch(/vm: 1 reproducer file copied to /);
    });

    it('builds statically on the host', () => {
      expect(build.exitCode, build.all).toBe(0);
    });

    it('reproduces in a fresh 6.1 guest: REPRODUCED:, exit 1', () => {
      expect(own.stdout + own.stderr).toMatch(/^REPRODUCED: /m);
      expect(own.exitCode).toBe(1);
    });

    it('does not reproduce on debian:6.12: not reproduced, exit 0', () => {
      expect(clean.stdout + clean.stderr).toMatch(/^not reproduced/m);
      expect(clean.exitCode).toBe(0);
    });
  },
);
