// SPDX-License-Identifier: GPL-2.0-only
// Planted failures for the lkml reporter: shaped like what the suite saw on
// real kernels (Debian 6.1's WARNING in enable_trace_kprobe, 6.18's oops in
// eventfs_iterate), plus a plain wrong errno without any kernel line.
import type { RunReport } from '../../../src/report/types.js';
import { report, result } from './fixtures.js';

const CONFIG_6_1 = {
  source: '/root/.cache/tracefs-regress/kernels/6.1.0-57-amd64/config (on the vm host)',
  lines: [
    'CONFIG_FTRACE=y',
    'CONFIG_TRACING=y',
    'CONFIG_KPROBES=y',
    'CONFIG_KPROBE_EVENTS=y',
    'CONFIG_UPROBES=y',
    'CONFIG_UPROBE_EVENTS=y',
    'CONFIG_DYNAMIC_EVENTS=y',
    '# CONFIG_SYNTH_EVENTS is not set',
    'CONFIG_HIST_TRIGGERS=y',
    'CONFIG_PREEMPT_VOLUNTARY=y',
    '# CONFIG_KASAN is not set',
    'CONFIG_DEBUG_KERNEL=y',
    'CONFIG_DEBUG_LIST=y',
  ],
};

// Debian 6.1.0-57 under `vm` (2026-12-02), the register and "?" lines left out.
const WARN_6_1 = [
  '[   20.406454] WARNING: CPU: 0 PID: 121 at kernel/trace/trace_kprobe.c:358 enable_trace_kprobe+0x133/0x150',
  '[   20.407169] Modules linked in: 9p fscache netfs 9pnet_virtio 9pnet virtio_pci virtio_pci_legacy_dev virtio_pci_modern_dev virtio virtio_ring',
  '[   20.407787] CPU: 0 PID: 121 Comm: node Not tainted 6.1.0-57-amd64 #1  Debian 6.1.192-3',
  '[   20.408070] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.3-debian-1.16.3-2~bpo12+1 04/01/2014',
  '[   20.408424] RIP: 0010:enable_trace_kprobe+0x133/0x150',
  '[   20.411239] Call Trace:',
  '[   20.412080]  <TASK>',
  '[   20.412335]  __ftrace_event_enable_disable+0x76/0x1f0',
  '[   20.412557]  register_trigger+0xb0/0x100',
  '[   20.412658]  event_trigger_parse+0x113/0x170',
  '[   20.412760]  trigger_process_regex+0xc0/0x110',
  '[   20.412862]  event_trigger_write+0x6a/0xd0',
  '[   20.412958]  vfs_write+0xc7/0x3f0',
  '[   20.413537]  ksys_write+0x6b/0xf0',
  '[   20.413621]  do_syscall_64+0x5d/0xb0',
  '[   20.414588]  entry_SYSCALL_64_after_hwframe+0x6e/0xd8',
  '[   20.414876] RIP: 0033:0x7ffbc326c38f',
  '[   20.416926]  </TASK>',
];

/** Debian 6.1 as measured: reads through held fds succeed, and the trigger write WARNs in enable_trace_kprobe (its call trace says so; the write is no failed check). */
export const warn61: RunReport = report(
  [
    result({
      name: 'fd-across-removal[kprobe]',
      scenario: 'fd-across-removal',
      kind: 'kprobe',
      title: 'fds held across removal give ENODEV, close cleanly, and the path is gone',
      status: 'FAIL',
      checks: 18,
      durationMs: 92,
      evidence: [
        {
          op: 'pread (fd held across removal)',
          path: '/sys/kernel/tracing/events/tfsr_121_364938_g1/e2/filter',
          expected: 'ENODEV',
          got: 'success (0 bytes)',
        },
        {
          op: 'pread (fd held across removal)',
          path: '/sys/kernel/tracing/events/tfsr_121_364938_g1/e2/trigger',
          expected: 'ENODEV',
          got: 'success (118 bytes)',
        },
        {
          op: 'pread (fd held across removal)',
          path: '/sys/kernel/tracing/events/tfsr_121_364938_g1/e2/format',
          expected: 'ENODEV',
          got: 'success (325 bytes)',
        },
        {
          op: 'kernel health',
          path: '/dev/kmsg',
          expected: 'no oops',
          got: 'warn_count 0->1',
          detail: WARN_6_1.join('\n'),
        },
      ],
      health: {
        ok: false,
        warnCount: { before: 0, after: 1 },
        taint: { before: 0, after: 512, letters: 'W', gained: 'W' },
        kernelLines: WARN_6_1,
      },
      references: [
        'CVE-2023-52879: tracing: Have trace_event_file have ref counters (fixed 6.6.1 and stable)',
        'CVE-2024-43891: tracing: Have format file honor EVENT_FILE_FL_FREED',
      ],
      reproducer: { file: 'fd-across-removal[kprobe].c', mode: 'sequence', steps: { kept: 10, total: 110 } },
    }),
  ],
  {
    reproDir: '/tmp/repro',
    env: {
      kernel: {
        release: '6.1.0-57-amd64',
        version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)',
        machine: 'x86_64',
      },
      tracefs: '/sys/kernel/tracing',
      features: ['dynamic_events', 'instances', 'kprobe_events', 'uprobe_events'],
      accelerator: 'tcg thread=multi',
      hostname: 'guest',
      config: CONFIG_6_1,
    },
  },
);

/** A planted reproducer's text (what repro-single writes is longer; only its being inlined verbatim matters here). */
export const REPRO_C = [
  '// fd-across-removal[kprobe]: a write through an fd held across removal',
  '// Build: cc -O2 -static -pthread -o repro repro.c && ./repro',
  '#include <stdio.h>',
  'int main(void) { /* a line of code longer than seventy-two columns stays exactly as it is */ return 0; }',
].join('\n');

/** A wrong errno and nothing in the kernel log: the 2024 eventfs bug's shape on 6.8-rc1. */
export const evidenceOnly: RunReport = report(
  [
    result({
      name: 'removed-files-enoent[uprobe]',
      scenario: 'removed-files-enoent',
      title: 'files of a removed event give ENOENT, even with a warm dcache',
      status: 'FAIL',
      checks: 44,
      evidence: [
        {
          op: 'open',
          path: '/sys/kernel/tracing/events/tfsr_200_0badc0_g1/e1/enable',
          expected: 'ENOENT',
          got: 'fd',
        },
        {
          op: 'stat',
          path: '/sys/kernel/tracing/events/tfsr_200_0badc0_g1/e1',
          expected: 'ENOENT',
          got: 'success',
          detail: 'after the same name was created again',
        },
      ],
      health: { ok: true, oopsCount: { before: 0, after: 0 }, kernelLines: [] },
      references: ['8dce06e98c70 eventfs: Clean up dentry ops and add revalidate function (v6.8-rc3)'],
    }),
  ],
  {
    env: {
      kernel: { release: '6.8.0-rc1', version: '#1 SMP PREEMPT_DYNAMIC', machine: 'x86_64' },
      tracefs: '/sys/kernel/tracing',
      features: ['dynamic_events', 'instances', 'uprobe_events'],
      hostname: 'box',
    },
  },
);

const OOPS_6_18 = [
  '[  41.201003] BUG: kernel NULL pointer dereference, address: 0000000000000050',
  '[  41.201010] #PF: supervisor read access in kernel mode',
  '[  41.201020] Oops: 0000 [#1] PREEMPT SMP NOPTI',
  '[  41.201030] CPU: 0 UID: 0 PID: 377 Comm: node Not tainted 6.18.15+deb13-amd64 #1 PREEMPT(lazy)  Debian 6.18.15-1~bpo13+1',
  '[  41.201040] RIP: 0010:eventfs_iterate+0x29c/0x340',
  '[  41.201050] Call Trace:',
  '[  41.201051]  <TASK>',
  '[  41.201052]  iterate_dir+0x8e/0x1a0',
  '[  41.201053]  __x64_sys_getdents64+0x84/0x130',
  '[  41.201054]  do_syscall_64+0x82/0x190',
  '[  41.201055]  </TASK>',
];

/** getdents64 racing removal: a worker killed in its syscall, and the oops it died of. */
export const raceOops: RunReport = report(
  [
    result({
      name: 'race-getdents[uprobe]',
      scenario: 'race-getdents',
      title: 'getdents64 of the group racing removal lists only what exists',
      status: 'FAIL',
      checks: 2_310,
      durationMs: 3_004,
      evidence: [
        {
          op: 'getdents64',
          path: '/sys/kernel/tracing/events/tfsr_377_c0ffee_g1',
          expected: 'a listing',
          got: 'worker killed in the syscall',
          detail: 'generation 41\nthread 2',
        },
        {
          op: 'kernel health',
          path: '/dev/kmsg',
          expected: 'no oops',
          got: 'oops_count 0->1',
          detail: OOPS_6_18.join('\n'),
        },
      ],
      health: {
        ok: false,
        oopsCount: { before: 0, after: 1 },
        taint: { before: 0, after: 128, letters: 'D', gained: 'D' },
        kernelLines: OOPS_6_18,
      },
      race: {
        overlap: true,
        overlapWhy: 'multi-threaded TCG guest: 2 vCPUs on their own host threads',
        cpus: 2,
        threads: 2,
        cycles: 1_163,
        cyclesPerSec: 387.2,
        ops: 114_288,
        opsPerSec: 38_048,
      },
      references: ['CVE-2024-46785: eventfs: Use list_del_rcu() for SRCU protected list variable'],
      reproducer: { file: 'race-getdents[uprobe].c', mode: 'race' },
    }),
  ],
  {
    reproDir: '/tmp/repro',
    env: {
      kernel: {
        release: '6.18.15+deb13-amd64',
        version: '#1 SMP PREEMPT_DYNAMIC Debian 6.18.15-1~bpo13+1',
        machine: 'x86_64',
      },
      tracefs: '/sys/kernel/tracing',
      features: ['dynamic_events', 'instances', 'kprobe_events', 'uprobe_events'],
      accelerator: 'tcg thread=multi',
      hostname: 'guest',
    },
  },
);
