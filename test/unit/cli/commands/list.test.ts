// SPDX-License-Identifier: GPL-2.0-only
// `list` on a kernel that carries a known crasher's bug: the crasher's
// variants say they would be skipped by default, and why (text and JSON);
// on a fixed kernel they say "runs here".
import { describe, expect, it } from 'vitest';
import { listDocument, listText } from '../../../../src/cli/commands/list.js';
import { shippedCrashers } from '../../../../src/expectations/shipped.js';
import { CATALOGUE } from '../../../../src/scenarios/catalogue.js';
import type { Tracefs } from '../../../../src/tracefs/types.js';

const crashers = shippedCrashers(CATALOGUE.map((s) => s.id));
const tracefs = (release: string): Tracefs => ({
  root: '/sys/kernel/tracing',
  mountedByUs: false,
  features: new Set(['uprobe_events', 'dynamic_events', 'instances', 'drop_caches']),
  kinds: ['uprobe'],
  kernel: { release, version: '#1', machine: 'x86_64', numeric: [6, 18, 15] },
  readmeHas: () => false,
});

describe('list and the known crashers', () => {
  it('on 6.18.15+deb13-amd64: the five races say SKIP by default with the bug and the fix; others run here', () => {
    const doc = listDocument(CATALOGUE, tracefs('6.18.15+deb13-amd64'), '', crashers);
    const skipped = doc.scenarios.filter((s) => s.crasher).map((s) => s.id);
    expect(skipped.sort()).toEqual(
      ['race-getdents', 'race-getdents-sibling', 'race-drop-caches', 'race-instances', 'race-recreate'].sort(),
    );
    const getdents = doc.scenarios.find((s) => s.id === 'race-getdents')!;
    expect(getdents.meets!.uprobe).toBe(true);
    expect(getdents.crasher!.uprobe).toMatch(/CVE-2026-74605 .*f0ece16ffca7/);
    const text = listText(doc, '');
    expect(text).toMatch(
      /^ {4}race-getdents\[uprobe\]: SKIP by default: known kernel crasher, not run on 6\.18\.15\+deb13-amd64: it hits CVE-2026-74605 .*--run-known-crashers/m,
    );
    expect(text).toMatch(/^ {4}race-reopen\[uprobe\]: runs here$/m);
  });

  it('on a fixed kernel (7.3.4) they run here', () => {
    const doc = listDocument(CATALOGUE, tracefs('7.3.4+deb13-amd64'), '', crashers);
    expect(doc.scenarios.filter((s) => s.crasher)).toEqual([]);
    expect(listText(doc, '')).toMatch(/^ {4}race-getdents\[uprobe\]: runs here$/m);
  });
});
