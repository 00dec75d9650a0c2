// The suite touches only what its run created: another user's probe and
// instance, and a live parallel run's group, survive a whole run; a dead
// run's leftovers are removed at start.
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
  const append = (file: string, line: string) => fs.appendFileSync(`${root}/${file}`, line);

  beforeAll(() => {
    root = tracefsRoot();
    off = entryFileOffsetOf(bin).offset.toString(16);
    append('uprobe_events', `p:${foreign}/keepme ${bin}:0x${off}`);
    append('uprobe_events', `p:${parallel}/e1 ${bin}:0x${off}`);
    append('uprobe_events', `p:${dead}/e1 ${bin}:0x${off}`);
    fs.mkdirSync(`${root}/instances/${foreign}`);
    fs.mkdirSync(`${root}/instances/${dead}_i1`);
  });

  afterAll(() => {
    for (const g of [foreign, parallel, dead]) {
      try {
        append('uprobe_events', `-:${g}/${g === foreign ? 'keepme' : 'e1'}`);
      } catch {
        // already gone
      }
    }
    for (const i of [foreign, `${dead}_i1`]) {
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
    expect(events).not.toContain(dead);
    expect(fs.existsSync(`${root}/events/${foreign}/keepme/enable`)).toBe(true);
    expect(fs.existsSync(`${root}/instances/${foreign}/events/${foreign}/keepme/enable`)).toBe(true);
    expect(fs.existsSync(`${root}/instances/${dead}_i1`)).toBe(false);
    expect(r.stderr).toContain(`${dead}/e1`);
  });
});
