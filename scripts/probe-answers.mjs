#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// What a kernel answers to the definitions explore found kernels disagree on
// (docs/explore.md "What it found on released kernels"): a duplicate fprobe
// (EEXIST on 6.12.118, EINVAL on 7.3.4) against a duplicate kprobe, and an
// eprobe on a dynamic event against one on a static event. Run in a guest:
//   tracefs-regress vm --kernel debian:latest --exec "$PWD/scripts/probe-answers.mjs"
// It removes what it made; it touches only its own tfsrpa* groups.
import fs from 'node:fs';
import os from 'node:os';

const T = '/sys/kernel/tracing';
const w = (file, line) => {
  const fd = fs.openSync(`${T}/${file}`, fs.constants.O_WRONLY | fs.constants.O_APPEND);
  try {
    fs.writeSync(fd, `${line}\n`);
    return 'OK';
  } catch (e) {
    return e.code;
  } finally {
    fs.closeSync(fd);
  }
};
const say = (file, line) => console.log(`${line} -> ${w(file, line)}`);
say('dynamic_events', 'f:tfsrpa_f/e1 do_sys_openat2');
say('dynamic_events', 'f:tfsrpa_f/e1 do_sys_openat2');
say('dynamic_events', 'f:tfsrpa_f/e1 vfs_read');
say('kprobe_events', 'p:tfsrpa_k/e1 do_sys_openat2');
say('kprobe_events', 'p:tfsrpa_k/e1 do_sys_openat2');
say('dynamic_events', 'e:tfsrpa_e/on_kprobe tfsrpa_k.e1');
say('dynamic_events', 'e:tfsrpa_e/on_static sched.sched_switch');
for (const ev of ['tfsrpa_e/on_static', 'tfsrpa_e/on_kprobe', 'tfsrpa_k/e1', 'tfsrpa_f/e1', 'tfsrpa_f/e1'])
  w('dynamic_events', `-:${ev}`);
console.log(os.release());
