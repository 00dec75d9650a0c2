// SPDX-License-Identifier: GPL-2.0-only
// Ownership across PID namespaces and SIGKILL survival (issue 11), on this
// machine's real tracefs with uprobes. race-reopen is safe on this host (it
// never calls getdents64 while removing).
// 1. A run on the host and a run inside `unshare --pid --fork --mount-proc`
//    at the same time: the namespaced run cannot see the host run's pid, but
//    the host run's lease is held, so its probes are left alone; both pass.
// 2. A run SIGKILLed while its objects exist: the next `cleanup` removes
//    them and its lease.
// 3. The same where tracefs had to be mounted (a private mount namespace
//    without tracefs): the killed run's private mount point is unmounted and
//    removed too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, liveSkipReason, tfsrObjects, tracefsRoot } from './live-env.js';
import { parseOwnedEvents } from '../../src/probes/stale.js';
import { parseOwnedInstance } from '../../src/probes/names.js';
import { pidAlive } from '../../src/util/pid.js';

const live = describe.skipIf(!!liveSkipReason);

/** What of run pid `pid` (tfsr_<pid>_...) is in tracefs. */
function ofPid(pid: number, root = tracefsRoot()): string[] {
  return tfsrObjects(root).filter((l) => l.includes(`tfsr_${pid}_`));
}

/**
 * Runs of this host that hold objects but no lease while their pid lives:
 * runs of a version before leases (other work on a shared machine). A run in
 * another PID namespace cannot see their pids and would take them for dead,
 * so the namespaced test waits until there are none.
 */
function leaselessLiveRuns(root: string): string[] {
  const instances = fs.readdirSync(`${root}/instances`);
  const leased = new Set(
    instances.flatMap((n) => (parseOwnedInstance(n)?.what === 'lease' ? [parseOwnedInstance(n)!.runId] : [])),
  );
  const runs = new Map<string, number>();
  for (const f of ['uprobe_events', 'dynamic_events']) {
    for (const e of parseOwnedEvents(`${root}/${f}`, fs.readFileSync(`${root}/${f}`, 'utf8'))) runs.set(e.runId, e.pid);
  }
  for (const n of instances) {
    const o = parseOwnedInstance(n);
    if (o) runs.set(o.runId, o.pid);
  }
  return [...runs].filter(([id, pid]) => !leased.has(id) && pidAlive(pid)).map(([id]) => id);
}

async function waitFor<T>(what: string, get: () => T | undefined, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The run id of pid's lease, once it exists. */
function leaseOf(root: string, pid: number): string | undefined {
  const n = fs.readdirSync(`${root}/instances`).find((i) => i.startsWith(`tfsr_${pid}_`) && i.endsWith('_lease'));
  return n?.replace(/_lease$/, '');
}

live('leases: runs in other PID namespaces, and runs killed with SIGKILL', () => {
  it('a host run and a run in its own PID namespace at once: both pass, nothing of either is left', async (ctx) => {
    const root = tracefsRoot();
    let others: string[] = [];
    for (let i = 0; i < 90 && (others = leaselessLiveRuns(root)).length; i++) await sleep(1000);
    if (others.length) {
      const why = `runs without a lease are alive on this host (${others.join(', ')}): a namespaced run would take them for dead`;
      process.stderr.write(`SKIP: ${why}\n`);
      ctx.skip(why);
    }
    const host = execa('node', [CLI, 'run', '-s', 'race-reopen', '-p', 'uprobe', '--duration', '8s'], {
      reject: false,
    });
    const hostRun = await waitFor('the host run to take its lease', () => leaseOf(root, host.pid!));
    await waitFor('the host run to create its probe', () =>
      ofPid(host.pid!).some((l) => l.startsWith('p:')) ? true : undefined,
    );
    const ns = await execa(
      'unshare',
      ['--pid', '--fork', '--mount-proc', 'node', CLI, 'run', '-s', 'removed-files-enoent', '-p', 'uprobe'],
      { reject: false, all: true },
    );
    const h = await host;
    expect(ns.exitCode, ns.all).toBe(0);
    expect(h.exitCode, `${h.stdout}\n${h.stderr}`).toBe(0);
    // The namespaced run saw the host run and said why it left it alone.
    expect(ns.all).toContain(`left run ${hostRun} alone (alive: its lease is held)`);
    expect(ofPid(host.pid!)).toEqual([]);
    // The namespaced run is pid 1 there: nothing named for it is left either.
    expect(ofPid(1)).toEqual([]);
  }, 120_000);

  it('a run SIGKILLed while its objects exist is cleaned by the next cleanup, its lease included', async () => {
    const root = tracefsRoot();
    const run = execa('node', [CLI, 'run', '-s', 'race-reopen', '-p', 'uprobe', '--duration', '60s'], {
      reject: false,
    });
    const pid = run.pid!;
    const runId = await waitFor('the run to take its lease', () => leaseOf(root, pid));
    // Stop it while its probe exists (race-reopen creates and removes it all the time), then kill it.
    await waitFor('a moment with the probe present', () => {
      process.kill(pid, 'SIGSTOP');
      if (ofPid(pid).some((l) => l.startsWith('p:'))) return true;
      process.kill(pid, 'SIGCONT');
      return undefined;
    });
    process.kill(pid, 'SIGKILL');
    await run;
    const left = ofPid(pid);
    expect(left).toContain(`instances/${runId}_lease`);
    expect(left.some((l) => l.startsWith(`p:${runId}_g`))).toBe(true);

    const c = await execa('node', [CLI, 'cleanup'], { reject: false, all: true });
    expect(c.exitCode, c.all).toBe(0);
    expect(c.all).toContain(`removed the free lease of dead run ${runId}`);
    expect(c.all).toMatch(new RegExp(`removed event ${runId}_g\\d+/e\\d+ \\(run ${runId}, dead\\)`));
    expect(ofPid(pid)).toEqual([]);
  }, 120_000);

  it('a SIGKILLed run that had to mount tracefs: the next cleanup also unmounts and removes its private mount', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-lease-kill-'));
    // mountinfo: field 5 is the mount point; the filesystem type follows the ' - ' separator
    const privates = `awk '/ - tracefs / && $5 ~ /\\/tfsr-tracefs-/ {print $5}' /proc/self/mountinfo`;
    const script = [
      'umount -l /sys/kernel/tracing 2>/dev/null; umount -l /sys/kernel/debug 2>/dev/null',
      `node ${CLI} run -s race-reopen -p uprobe --duration 60s > ${out}/a.log 2>&1 & A=$!`,
      // its private mount, then its probe: stopped while the probe exists, then killed
      `for i in $(seq 400); do M=$(${privates} | head -1); [ -n "$M" ] && break; sleep 0.05; done`,
      'for i in $(seq 400); do kill -STOP $A; grep -q "^p:tfsr_${A}_" $M/uprobe_events && break; kill -CONT $A; sleep 0.05; done',
      'kill -KILL $A; wait $A 2>/dev/null',
      'echo "pid=$A"; echo "mount=$M"',
      'echo "before: $(ls $M/instances | grep "^tfsr_${A}_" | tr "\\n" " ")$(grep -c "^p:tfsr_${A}_" $M/uprobe_events)"',
      `node ${CLI} cleanup > ${out}/c.log 2>&1; echo "cleanup=$?"`,
      `echo "after: $(${privates} | grep -c "^$M$") $([ -e "$M" ] && echo dir || echo nodir)"`,
    ].join('\n');
    try {
      const r = await execa('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { reject: false });
      const c = fs.readFileSync(`${out}/c.log`, 'utf8');
      const got = Object.fromEntries(r.stdout.split('\n').map((l) => l.split(/[=:] ?/, 2) as [string, string]));
      const pid = Number(got.pid);
      expect(got.mount, r.stdout + r.stderr).toMatch(/\/tfsr-tracefs-\d+-[A-Za-z0-9]{6}$/);
      // Killed with its lease and a probe in place, and its mount still there.
      expect(got.before).toMatch(new RegExp(`tfsr_${pid}_[0-9a-f]{6}_lease .*1$`));
      expect(got.cleanup, c).toBe('0');
      expect(c).toContain(`removed the private tracefs mount of a dead run: ${got.mount}`);
      expect(c).toMatch(new RegExp(`removed the free lease of dead run tfsr_${pid}_`));
      expect(got.after).toBe('0 nodir');
      expect(ofPid(pid)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
