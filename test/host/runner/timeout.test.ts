// SPDX-License-Identifier: GPL-2.0-only
// Per-scenario timeouts in the runner: the limit each variant gets, what a
// timed-out result becomes, and runSuite itself with planted scenarios that
// block in read(2) of a FIFO (no tracefs needed: the watchdog interrupts any
// blocked system call). Without the watchdog these runs never end.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runSuite, type SuiteOptions } from '../../../src/runner/run-suite.js';
import {
  ABANDON_AFTER_MS,
  applyTimeout,
  DEFAULT_SCENARIO_TIMEOUT_MS,
  untilAbandoned,
  variantTimeoutMs,
} from '../../../src/runner/timeout.js';
import { C, isErr, native } from '../../../src/native/index.js';
import { exitCodeFor, renderKtap } from '../../../src/report/index.js';
import type { ScenarioResult } from '../../../src/report/types.js';
import type { Scenario } from '../../../src/scenarios/types.js';
import { plantedScenario, plantedTracefs, PASS } from '../../unit/runner/planted-suite.js';

const tracefs = plantedTracefs('tfsr-timeout-');
const root = tracefs.root;
const scenario = plantedScenario;

function options(scenarios: Scenario[], extra: Partial<SuiteOptions> = {}): SuiteOptions {
  return {
    scenarios,
    kinds: ['uprobe'],
    bail: false,
    signal: new AbortController().signal,
    hooks: { log: () => {}, progress: () => {} },
    durationMs: 3000,
    threads: 1,
    ...extra,
  };
}

/** A FIFO opened read-write: open returns at once, and a read blocks until someone writes (never). */
function fifo(name: string): string {
  const p = path.join(root, name);
  execFileSync('mkfifo', [p]);
  return p;
}

/** Where fd points now ('' when it is closed). */
function fdTarget(fd: number): string {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return '';
  }
}

describe('the limit of a variant', () => {
  it('60 s by default; a race gets its --duration on top; --scenario-timeout replaces the 60 s', () => {
    expect(DEFAULT_SCENARIO_TIMEOUT_MS).toBe(60_000);
    expect(variantTimeoutMs({}, { durationMs: 3000 })).toBe(60_000);
    expect(variantTimeoutMs({ race: true }, { durationMs: 3000 })).toBe(63_000);
    expect(variantTimeoutMs({ race: true }, { durationMs: 600_000, scenarioTimeoutMs: 5000 })).toBe(605_000);
    expect(variantTimeoutMs({ race: false }, { durationMs: 600_000, scenarioTimeoutMs: 5000 })).toBe(5000);
  });
});

describe('a timed-out result', () => {
  const base = (over: Partial<ScenarioResult> = {}): ScenarioResult => ({
    name: 'x[uprobe]',
    scenario: 'x',
    kind: 'uprobe',
    title: 'x',
    status: 'FAIL',
    evidence: [{ op: 'read', path: '/p', expected: 'data', got: 'EINTR' }],
    checks: 1,
    durationMs: 2100,
    references: [],
    ...over,
  });

  it('becomes TIMEOUT with the limit, the signals and the overrun; its evidence stays, with a note', () => {
    const r = base();
    applyTimeout(r, 2000, { fired: true, signals: 4, overrunMs: 160 });
    expect(r.status).toBe('TIMEOUT');
    expect(r.timeout).toEqual({ limitMs: 2000, signals: 4, overrunMs: 160 });
    expect(r.reason).toBe(
      'timed out after 2 s: a system call blocked (or the scenario did not return); interrupted by 4 signals, back 0.2 s after the limit',
    );
    expect(r.evidence).toHaveLength(1);
    expect(r.notes).toEqual([
      "the scenario's own verdict was FAIL",
      'evidence after the limit may show EINTR: the watchdog interrupted those calls',
    ]);
  });

  it('is left alone when the watchdog did not fire (planted: a FAIL that came back in time)', () => {
    const r = base();
    applyTimeout(r, 2000, { fired: false, signals: 0, overrunMs: 0 });
    expect(r.status).toBe('FAIL');
    expect(r.timeout).toBeUndefined();
  });

  it('says when it was abandoned', () => {
    const r = base({ status: 'UNRESOLVED', evidence: [] });
    applyTimeout(r, 2000, { fired: true, signals: 200, overrunMs: ABANDON_AFTER_MS }, true);
    expect(r.notes).toEqual(['it never came back: abandoned 10 s after the limit, still running']);
  });

  it('untilAbandoned: the outcome when it comes in time, undefined after the wait', async () => {
    expect(await untilAbandoned(Promise.resolve(7), 1000)).toBe(7);
    expect(await untilAbandoned(new Promise(() => {}), 50)).toBeUndefined();
  });
});

describe('runSuite with a scenario that blocks', () => {
  it('a read(2) that blocks for ever is TIMEOUT, each retry interrupted too, its fd is closed, the next scenario runs', async () => {
    const p = fifo('blocks');
    let heldFd = -1;
    const reads: string[] = [];
    const blocking = scenario('planted-blocking-read', async (ctx) => {
      heldFd = ctx.hold(native.open(p, C.O_RDWR) as number);
      // Retries like a careful program would: every retry blocks again and is interrupted again.
      for (let i = 0; i < 3; i++) {
        const r = native.read(heldFd, 16);
        reads.push(isErr(r) ? r.code : `${r.length} bytes`);
      }
      return { status: 'FAIL', evidence: [{ op: 'read', path: p, expected: 'data', got: reads[0]! }], checks: 1 };
    });
    let ranAfter = false;
    const next = scenario('after', async () => ((ranAfter = true), PASS));
    const rep = await runSuite(tracefs, options([blocking, next], { scenarioTimeoutMs: 1000 }));
    expect(reads).toEqual(['EINTR', 'EINTR', 'EINTR']);
    const [r, after] = rep.results;
    expect(r!.status).toBe('TIMEOUT');
    expect(r!.timeout!.limitMs).toBe(1000);
    expect(r!.timeout!.signals).toBeGreaterThanOrEqual(3);
    expect(r!.durationMs).toBeGreaterThanOrEqual(1000);
    // (how soon after the limit it came back is the live test's to measure: no timing bounds in unit tests)
    expect(fdTarget(heldFd)).not.toContain('blocks');
    expect(ranAfter).toBe(true);
    expect(after!.status).toBe('PASS');
    expect(renderKtap(rep)).toMatch(/^# TIMEOUT 1 seconds\n(# .*\n)*not ok 1 planted-blocking-read\[uprobe\]\n/m);
    expect(exitCodeFor(rep)).toBe(1);
  });

  it('a race whose worker blocks (open of a FIFO) is stopped and interrupted: TIMEOUT after --duration plus the limit', async () => {
    const p = fifo('race-blocks');
    const f = path.join(root, 'race-file');
    const race = scenario(
      'planted-blocking-race',
      async (ctx) => {
        const { done } = native.raceStart({
          threads: 2,
          durationMs: ctx.options.durationMs,
          create: [{ kind: 'create-file', path: f }],
          remove: [{ kind: 'unlink', path: f }],
          files: [p],
          progressMs: 0,
        });
        const stats = await done;
        return { status: 'PASS', evidence: [], checks: stats.cycles > 0 ? 1 : 0 };
      },
      true,
    );
    const rep = await runSuite(tracefs, options([race], { durationMs: 300, scenarioTimeoutMs: 700 }));
    expect(rep.results[0]!.status).toBe('TIMEOUT');
    expect(rep.results[0]!.timeout!.limitMs).toBe(1000);
    expect(rep.results[0]!.durationMs).toBeGreaterThanOrEqual(1000);
  });

  it('a scenario that came back in time is not touched (planted: the same blocking read with a writer)', async () => {
    const p = fifo('fed');
    const feeding = scenario('fed-read', async (ctx) => {
      const fd = ctx.hold(native.open(p, C.O_RDWR) as number);
      native.write(fd, 'x');
      const r = native.read(fd, 16);
      return { status: isErr(r) ? 'FAIL' : 'PASS', evidence: [], checks: 1 };
    });
    const rep = await runSuite(tracefs, options([feeding], { scenarioTimeoutMs: 1000 }));
    expect(rep.results[0]!.status).toBe('PASS');
    expect(rep.results[0]!.timeout).toBeUndefined();
  });
});
