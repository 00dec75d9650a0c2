// SPDX-License-Identifier: GPL-2.0-only
// The suite touches only what its run created: another user's probe and
// instance, names that only look like ours, and a live parallel run's group
// (its lease held by this process, its pid not alive: a run in another PID
// namespace) survive a whole run; a dead run's leftovers are removed at start.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, KNOWN_BUGS_FILE, liveSkipReason, tracefsRoot } from './live-env.js';
import { entryFileOffsetOf } from '../../src/util/elf.js';

const live = describe.skipIf(!!liveSkipReason);

live('foreign probes and instances', () => {
  let root: string;
  const bin = fs.realpathSync('/bin/true');
  let off: string;
  const foreign = 'foreign_probe_test';
  // pid 1 is always alive: this stands for another run going on in parallel
  const parallel = 'tfsr_1_c0ffee';
  const dead = 'tfsr_4194303_dead00'; // above pid_max's default: never a live pid
  // A run elsewhere (another PID namespace): its pid means nothing here, its lease is held (by this test).
  const leased = 'tfsr_4194302_1ea5ed';
  let leaseFd: number | undefined;
  // Names that start like ours but are not of the run-name grammar: never removed.
  const lookalikes = ['tfsr_debug', 'tfsr_4194303_dead00_mine'];
  const append = (file: string, line: string) => fs.appendFileSync(`${root}/${file}`, line);

  beforeAll(() => {
    root = tracefsRoot();
    off = entryFileOffsetOf(bin).offset.toString(16);
    append('uprobe_events', `p:${foreign}/keepme ${bin}:0x${off}`);
    append('uprobe_events', `p:${parallel}/e1 ${bin}:0x${off}`);
    append('uprobe_events', `p:${dead}/e1 ${bin}:0x${off}`);
    fs.mkdirSync(`${root}/instances/${foreign}`);
    fs.mkdirSync(`${root}/instances/${dead}_i1`);
    fs.mkdirSync(`${root}/instances/${leased}_lease`);
    leaseFd = fs.openSync(`${root}/instances/${leased}_lease/tracing_on`, 'r');
    append('uprobe_events', `p:${leased}_g1/e1 ${bin}:0x${off}`);
    fs.mkdirSync(`${root}/instances/${leased}_i2`);
    for (const l of lookalikes) {
      append('uprobe_events', `p:${l}/e1 ${bin}:0x${off}`);
      fs.mkdirSync(`${root}/instances/${l}`);
    }
  });

  afterAll(() => {
    if (leaseFd !== undefined) fs.closeSync(leaseFd);
    for (const g of [foreign, parallel, dead, `${leased}_g1`, ...lookalikes]) {
      try {
        append('uprobe_events', `-:${g}/${g === foreign ? 'keepme' : 'e1'}`);
      } catch {
        // already gone
      }
    }
    for (const i of [foreign, `${dead}_i1`, `${leased}_i2`, `${leased}_lease`, ...lookalikes]) {
      if (fs.existsSync(`${root}/instances/${i}`)) fs.rmdirSync(`${root}/instances/${i}`);
    }
  });

  it("a whole run leaves them alone and removes only the dead run's leftovers", async () => {
    // The whole catalogue; what oopses this host's kernel is skipped by the project's expectations file.
    const r = await execa(
      'node',
      [CLI, 'run', '-p', 'uprobe', '--duration', '1s', '--format', 'ktap', '--expect', KNOWN_BUGS_FILE],
      { reject: false },
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const events = fs.readFileSync(`${root}/uprobe_events`, 'utf8');
    expect(events).toContain(`p:${foreign}/keepme`);
    expect(events).toContain(`p:${parallel}/e1`);
    expect(events).not.toContain(`p:${dead}/`);
    expect(fs.existsSync(`${root}/events/${foreign}/keepme/enable`)).toBe(true);
    expect(fs.existsSync(`${root}/instances/${foreign}/events/${foreign}/keepme/enable`)).toBe(true);
    expect(fs.existsSync(`${root}/instances/${dead}_i1`)).toBe(false);
    expect(r.stderr).toContain(`removed event ${dead}/e1 (run ${dead}, dead)`);
    // the leased run: alive whatever its pid says, all of it kept, and said so
    expect(events).toContain(`p:${leased}_g1/e1`);
    expect(fs.existsSync(`${root}/instances/${leased}_i2`)).toBe(true);
    expect(r.stderr).toContain(`left run ${leased} alone (alive: its lease is held)`);
    // look-alikes: kept
    for (const l of lookalikes) {
      expect(events).toContain(`p:${l}/e1`);
      expect(fs.existsSync(`${root}/instances/${l}`)).toBe(true);
    }
  });
});
