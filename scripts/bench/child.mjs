// SPDX-License-Identifier: GPL-2.0-only
// One benchmark trial x driver, in a fresh process; prints one JSON line.
// Usage: node child.mjs TRIAL DRIVER build/bench/race-ref (../bench.mjs compiles
// the C references there and has the tables).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { benchProbe, removeProbe, TRACEFS } from './uprobe.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const [trial, driver, refBin] = process.argv.slice(2);
const MS = Number(process.env.BENCH_MS ?? 5000);
const RSS_MS = Number(process.env.BENCH_RSS_MS ?? 30000);
const THREADS = Number(process.env.BENCH_THREADS ?? os.availableParallelism());
// BENCH_TICK_MS=500: the engine's rate per interval on stderr, to see how it
// varies within one run (race-enable's does, 20x).
const TICK_MS = Number(process.env.BENCH_TICK_MS ?? 0);

function tick() {
  let last = { ops: 0, cycles: 0 };
  return (p) => {
    const k = 1000 / TICK_MS;
    process.stderr.write(
      `tick ${Math.round((p.ops - last.ops) * k)} ops/s ${Math.round((p.cycles - last.cycles) * k)} cycles/s\n`,
    );
    last = p;
  };
}

// Identical mixes for the engine and the C reference (order: openRead,
// enableWrite, stat, openat, fstatat, getdents).
// The mix leaves enable writes out: a "1" that lands before a removal makes
// that removal reset the ring buffers and wait for an RCU grace period, and
// how often that happens varies 2x between runs of the same program; the
// 'enable' trial measures it on its own. getdents64 of the group is out unless
// BENCH_GETDENTS=1: on the 6.18.44-fc-v782 host it oopses the kernel
// (NULL deref in eventfs_iterate) within seconds and kills the threads,
// the C reference's as much as the engine's.
const GETDENTS = process.env.BENCH_GETDENTS === '1' ? 1 : 0;
const MIXES = {
  readers: [1, 0, 0, 0, 0, 0],
  mix: [4, 0, 2, 2, 2, GETDENTS],
  enable: [4, 1, 2, 2, 2, GETDENTS],
};

class SysError {
  constructor(syscall, errno, code) {
    this.syscall = syscall;
    this.errno = errno;
    this.code = code;
    Object.freeze(this);
  }
}

// As a run does (src/tracefs/open.ts): tracefs paths resolve beneath the root fd.
function addon() {
  const a = require('node-gyp-build')(root);
  a.init(SysError);
  const fd = a.setRoot(fs.realpathSync(TRACEFS), ['/proc/sys/vm/drop_caches']);
  if (typeof fd !== 'number') throw new Error(`setRoot(${TRACEFS}): ${fd.code}`);
  return a;
}

async function engineRace(mixName, ms) {
  const w = MIXES[mixName];
  const p = benchProbe(`bench${process.pid % 1000}`);
  const a = addon();
  const ctl = (line) => ({
    kind: 'write',
    path: p.control,
    line,
    flags: fs.constants.O_WRONLY | fs.constants.O_APPEND,
    keepOpen: true,
  });
  try {
    const cpu0 = process.cpuUsage();
    const s = await a.raceStart(
      {
        threads: THREADS,
        durationMs: ms,
        progressMs: TICK_MS,
        create: [ctl(p.createLine)],
        remove: [
          {
            ...ctl(p.removeLine),
            onBusy: [{ kind: 'write', path: `${p.eventDir}/enable`, line: '0', flags: fs.constants.O_WRONLY }],
          },
        ],
        files: ['enable', 'filter', 'format', 'id', 'trigger'].map((f) => `${p.eventDir}/${f}`),
        enable: `${p.eventDir}/enable`,
        dirs: [
          { path: p.eventDir, names: ['enable', 'format', 'id'] },
          { path: p.groupDir, names: [`${p.event}/enable`, p.event] },
        ],
        list: { dir: p.groupDir, name: p.event },
        weights: { openRead: w[0], enableWrite: w[1], stat: w[2], openat: w[3], fstatat: w[4], getdents: w[5] },
      },
      TICK_MS ? tick() : undefined,
    ).done;
    const cpu = process.cpuUsage(cpu0);
    if (s.error) throw new Error(s.error);
    const ops = Object.values(s.ops).reduce((n, o) => n + o.count, 0);
    return {
      ops,
      cycles: s.cycles,
      elapsedNs: s.elapsedNs,
      cpuNs: (cpu.user + cpu.system) * 1000,
      violations: s.violationCount,
      busyRetries: s.busyRetries,
      maxRssKb: process.resourceUsage().maxRSS,
    };
  } finally {
    removeProbe(p);
  }
}

function refRace(mixName, ms) {
  const p = benchProbe(`bench${process.pid % 1000}`);
  try {
    const out = execFileSync(
      refBin,
      [
        String(THREADS),
        String(ms),
        p.control,
        p.createLine,
        p.removeLine,
        p.eventDir,
        p.groupDir,
        p.event,
        ...MIXES[mixName].map(String),
      ],
      { encoding: 'utf8' },
    );
    return JSON.parse(out);
  } finally {
    removeProbe(p);
  }
}

// A failing open through tracefs (ENOENT), one call at a time: from JS
// through the addon or fs.openSync, and from C (open-ref.c) for the kernel's share.
function failingOpen(driver) {
  const target = `${TRACEFS}/events/tfsr_${process.pid}_none/ev/enable`;
  const N = Number(process.env.BENCH_OPENS ?? 300000);
  if (driver === 'c') {
    const r = JSON.parse(
      execFileSync(path.join(path.dirname(refBin), 'open-ref'), [target, String(N)], { encoding: 'utf8' }),
    );
    if (r.fails !== N) throw new Error(`expected ${N} failures, got ${r.fails}`);
    return { ops: r.ops, elapsedNs: r.elapsedNs };
  }
  let run;
  if (driver === 'addon') {
    const a = addon();
    const O_RDONLY = a.constants.O_RDONLY;
    run = (n) => {
      let fails = 0;
      for (let i = 0; i < n; i++) if (typeof a.open(target, O_RDONLY) !== 'number') fails++;
      return fails;
    };
  } else {
    run = (n) => {
      let fails = 0;
      for (let i = 0; i < n; i++) {
        try {
          fs.closeSync(fs.openSync(target, 'r'));
        } catch {
          fails++;
        }
      }
      return fails;
    };
  }
  run(N / 10); // warm up the JIT
  const t0 = process.hrtime.bigint();
  const fails = run(N);
  const el = Number(process.hrtime.bigint() - t0);
  if (fails !== N) throw new Error(`expected ${N} failures, got ${fails}`);
  return { ops: N, elapsedNs: el };
}

const trials = {
  'race-readers': { engine: () => engineRace('readers', MS), 'c-ref': () => refRace('readers', MS) },
  'race-mix': { engine: () => engineRace('mix', MS), 'c-ref': () => refRace('mix', MS) },
  'race-enable': { engine: () => engineRace('enable', MS), 'c-ref': () => refRace('enable', MS) },
  'failing-open': {
    c: () => failingOpen('c'),
    addon: () => failingOpen('addon'),
    'fs.openSync': () => failingOpen('fs.openSync'),
  },
  'rss-30s': { engine: () => engineRace(process.env.BENCH_RSS_MIX ?? 'mix', RSS_MS) },
};

const fn = trials[trial]?.[driver];
if (!fn) {
  console.error(`unknown trial/driver ${trial}/${driver}`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(await fn()) + '\n');
