// SPDX-License-Identifier: GPL-2.0-only
// What a user without root gets: `list --format json` with `meets: null` and
// why, `doctor` naming root as missing for run (exit 1) while `doctor vm`
// needs no root, and `vm --help`. Run as uid 65534 through setpriv when this
// test runs as root; list's JSON shape is checked against a planted tracefs too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDocument, listText } from '../../../src/cli/commands/list.js';
import { CATALOGUE } from '../../../src/scenarios/catalogue.js';
import type { Tracefs } from '../../../src/tracefs/types.js';
import type { Feature } from '../../../src/model.js';
import { findInPath } from '../../../src/host/programs.js';
import { missingPackages } from '../../../src/vm/qemu/deps.js';

const CLI = path.resolve(__dirname, '../../../bin/tracefs-regress.js');

function fakeTracefs(features: Feature[]): Tracefs {
  const f = new Set(features);
  return {
    root: '/sys/kernel/tracing',
    mountedByUs: false,
    features: f,
    kinds: (['kprobe', 'uprobe', 'fprobe', 'eprobe', 'synthetic'] as const).filter((k) =>
      f.has(k === 'synthetic' ? 'synthetic_events' : (`${k}_events` as Feature)),
    ),
    kernel: { release: '6.99.0', version: '#1', machine: 'x86_64', numeric: [6, 99, 0] },
    readmeHas: () => false,
  };
}

describe('list --format json', () => {
  it('gives id, title, requires, references, kinds and whether this kernel meets each kind', () => {
    const doc = listDocument(CATALOGUE, fakeTracefs(['uprobe_events', 'instances']), '');
    expect(doc.kernel).toEqual({
      release: '6.99.0',
      machine: 'x86_64',
      tracefs: '/sys/kernel/tracing',
      kinds: ['uprobe'],
    });
    expect(doc.scenarios.map((s) => s.id)).toEqual(CATALOGUE.map((s) => s.id));
    const removed = doc.scenarios.find((s) => s.id === 'removed-files-enoent')!;
    expect(Object.keys(removed).sort()).toEqual(
      ['id', 'title', 'race', 'requires', 'references', 'kinds', 'meets', 'unmet'].sort(),
    );
    expect(removed.meets).toMatchObject({ kprobe: false, uprobe: true, fprobe: false });
    expect(removed.unmet!.kprobe).toMatch(/CONFIG_KPROBE_EVENTS/);
    expect(removed.references.length).toBeGreaterThan(0);
    // a scenario that needs a feature this kernel lacks does not meet it, on any kind
    const dropCaches = doc.scenarios.find((s) => s.requires.includes('drop_caches'));
    if (dropCaches) expect(Object.values(dropCaches.meets!).every((m) => m === false)).toBe(true);
    // an excluded kind is not listed at all
    for (const s of CATALOGUE.filter((x) => x.excludeKinds?.length)) {
      const e = doc.scenarios.find((x) => x.id === s.id)!;
      for (const k of s.excludeKinds!) expect(e.kinds).not.toContain(k);
    }
  });

  it('without tracefs: meets null and why, for every scenario', () => {
    const doc = listDocument(CATALOGUE, undefined, 'not root');
    expect(doc.kernel).toBeNull();
    expect(doc.scenarios.every((s) => s.meets === null && s.why === 'not root')).toBe(true);
    expect(listText(doc, 'not root')).toMatch(/\(not checked against this kernel: not root\)\n$/);
  });
});

const root = process.getuid?.() === 0;
const setpriv = findInPath('setpriv');
describe.skipIf(!root || !setpriv)('as an unprivileged user (uid 65534 via setpriv)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsr-nobody-'));
  fs.chownSync(home, 65534, 65534);
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
  const asNobody = (...args: string[]) =>
    spawnSync(setpriv!, ['--reuid', '65534', '--regid', '65534', '--clear-groups', process.execPath, CLI, ...args], {
      encoding: 'utf8',
      env: { HOME: home, PATH: process.env.PATH },
      timeout: 60_000,
    });

  it('list --format json: meets null with why', () => {
    const r = asNobody('list', '--format', 'json', '-s', 'removed-*');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ReturnType<typeof listDocument>;
    expect(doc.kernel).toBeNull();
    expect(doc.scenarios[0]).toMatchObject({ id: 'removed-files-enoent', meets: null });
    expect(doc.scenarios[0]!.why).toMatch(/root|EACCES|permission/i);
  });

  it('doctor: root missing for run, exit 1; doctor vm needs no root; vm --help works', () => {
    const all = asNobody('doctor', 'run');
    expect(all.status, all.stdout + all.stderr).toBe(1);
    expect(all.stdout).toMatch(/^run +MISSING +root +uid 65534/m);
    const vm = asNobody('doctor', 'vm');
    expect(vm.stdout).not.toMatch(/^\S+ +MISSING +root/m);
    if (missingPackages({ debian: true }).length === 0) expect(vm.status, vm.stdout).toBe(0);
    expect(vm.stdout).toMatch(new RegExp(`cache +${home}/\\.cache/tracefs-regress writable`));
    const help = asNobody('vm', '--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('--timeout <time>');
  });
});
