// SPDX-License-Identifier: GPL-2.0-only
// A scenario that blocks for ever on real tracefs: read(2) of the trace_pipe
// of an instance that traces nothing. The runner's watchdog interrupts it at
// --scenario-timeout: it is TIMEOUT, its held fd is closed, its instance and
// probe are removed, and the next scenario (removed-files-enoent) runs and
// passes. Before the watchdog this run never ended: the read blocked the JS
// thread, so no timer (vitest's included) could fire.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { liveSkipReason } from './live-env.js';
import { CATALOGUE } from '../../src/scenarios/catalogue.js';
import { openTracefs } from '../../src/tracefs/open.js';
import { runSuite } from '../../src/runner/run-suite.js';
import { runTeardown, onTeardown } from '../../src/runner/teardown.js';
import { C, isErr, native } from '../../src/native/index.js';
import type { Scenario } from '../../src/scenarios/types.js';

const live = describe.skipIf(!!liveSkipReason);
const LIMIT_MS = 2000;

interface Made {
  instance: string;
  eventDir: string;
  /** group/event, as the control files list it */
  id: string;
  controlFile: string;
  reads: string[];
}

function blockingScenario(made: Partial<Made>): Scenario {
  return {
    id: 'planted-trace-pipe-read',
    title: 'reads the trace_pipe of an empty instance: blocks for ever',
    description: 'planted for the timeout test',
    requires: ['instances'],
    references: [],
    async run(ctx) {
      const ev = ctx.newProbe();
      const added = ev.add();
      if (isErr(added))
        return { status: 'UNRESOLVED', reason: `${ev.create.line}: ${added.code}`, evidence: [], checks: 0 };
      made.eventDir = ev.eventDir;
      made.id = `${ev.group}/${ev.event}`;
      made.controlFile = ev.create.file;
      const inst = ctx.newInstance();
      made.instance = inst;
      const mk = native.mkdir(inst, 0o755);
      if (isErr(mk)) return { status: 'UNRESOLVED', reason: `mkdir ${inst}: ${mk.code}`, evidence: [], checks: 0 };
      const fd = native.open(`${inst}/trace_pipe`, C.O_RDONLY);
      if (isErr(fd)) return { status: 'UNRESOLVED', reason: `open trace_pipe: ${fd.code}`, evidence: [], checks: 0 };
      // Held: the runner closes it before the rmdir (an open instance file makes rmdir EBUSY).
      ctx.hold(fd);
      made.reads = [];
      for (let i = 0; i < 3; i++) {
        const r = native.read(fd, 4096);
        made.reads.push(isErr(r) ? r.code : `${r.length} bytes`);
      }
      return { status: 'PASS', evidence: [], checks: 1 };
    },
  };
}

live('a scenario that blocks in read(2) on tracefs', () => {
  afterAll(() => {
    runTeardown();
  });

  it('is TIMEOUT at --scenario-timeout, leaves nothing in tracefs, and the next scenario passes', async (t) => {
    const tracefs = openTracefs({ onTeardown });
    if (!tracefs.kinds.includes('uprobe') || !tracefs.features.has('instances')) {
      process.stderr.write('SKIP timeout live test: this kernel has no uprobe events or no instances\n');
      t.skip();
    }
    const made: Partial<Made> = {};
    const next = CATALOGUE.find((s) => s.id === 'removed-files-enoent')!;
    const t0 = Date.now();
    const report = await runSuite(tracefs, {
      scenarios: [blockingScenario(made), next],
      kinds: ['uprobe'],
      durationMs: 3000,
      scenarioTimeoutMs: LIMIT_MS,
      threads: 2,
      bail: false,
      signal: new AbortController().signal,
      hooks: { log: () => undefined, progress: () => undefined },
    });
    const took = Date.now() - t0;
    const [blocked, after] = report.results;
    expect(blocked!.status, blocked!.reason).toBe('TIMEOUT');
    expect(made.reads).toEqual(['EINTR', 'EINTR', 'EINTR']);
    expect(blocked!.timeout).toMatchObject({ limitMs: LIMIT_MS });
    expect(blocked!.durationMs).toBeGreaterThanOrEqual(LIMIT_MS);
    // the limit plus a margin: cleanup, and the next scenario (well under a second here)
    expect(blocked!.durationMs).toBeLessThan(LIMIT_MS + 1500);
    expect(took).toBeLessThan(LIMIT_MS + 10_000);
    expect(blocked!.notes ?? []).not.toContainEqual(expect.stringMatching(/could not remove/));
    // Its instance and its probe are gone.
    expect(fs.existsSync(made.instance!)).toBe(false);
    expect(fs.existsSync(made.eventDir!)).toBe(false);
    expect(fs.readFileSync(made.controlFile!, 'utf8')).not.toContain(made.id!);
    expect(after!.name).toBe('removed-files-enoent[uprobe]');
    expect(after!.status, after!.reason).toBe('PASS');
  });
});
