// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMutantHeader, patchedFiles, preamble, readMutants } from '../../../src/kernel/patches.js';

const PATCH = `Mutant: demo-mutant
Undoes: 8dce06e98c70 ("eventfs: Clean up dentry ops, and add revalidate function")
  bb32500fb9b7 ("tracing: Have trace_event_file have ref counters")
Expect: removed-files-enoent, held-dirfd-enoent
  recreate-fresh
Description: first line
  second line
Kasan: nothing

--- a/fs/tracefs/inode.c
+++ b/fs/tracefs/inode.c
@@ -1,1 +1,1 @@
-Mutant: not a header
+x
--- a/kernel/trace/trace.c
+++ b/kernel/trace/trace.c
@@ -1,1 +1,1 @@
-a
+b
`;

describe('mutant patch headers', () => {
  it('parses keys, continuation lines and stops at the first diff', () => {
    const h = parseMutantHeader(PATCH);
    expect(h).toEqual({
      name: 'demo-mutant',
      undoes: ['8dce06e98c70 ("eventfs: Clean up dentry ops, and add revalidate function")', 'bb32500fb9b7 ("tracing: Have trace_event_file have ref counters")'],
      expect: ['removed-files-enoent', 'held-dirfd-enoent', 'recreate-fresh'],
      description: 'first line second line',
      kasan: 'nothing',
    });
    expect(preamble(PATCH).some((l) => l.startsWith('---'))).toBe(false);
  });

  it('rejects a header without the claims the self-test checks', () => {
    expect(() => parseMutantHeader('Mutant: x\nUndoes: y\nDescription: z\n--- a/f\n', 'x.patch')).toThrow("x.patch: header has no 'Expect:' line");
    expect(() => parseMutantHeader('Mutant: Bad Name\nUndoes: y\nExpect: a\nDescription: z\n')).toThrow(/lowercase/);
  });

  it('reads the race-only claim and the guest command line a mutant needs', () => {
    const h = parseMutantHeader('Mutant: r\nUndoes: y\nRace: yes\nCmdline: init_on_free=1 slub_debug=P\nExpect: race-getdents\nDescription: z\n');
    expect(h).toMatchObject({ race: true, cmdline: 'init_on_free=1 slub_debug=P' });
    expect(parseMutantHeader('Mutant: r\nUndoes: y\nRace: no\nExpect: a\nDescription: z\n').race).toBeUndefined();
  });

  it('rejects a race claim that is not yes/no and a command line that could smuggle in more', () => {
    expect(() => parseMutantHeader('Mutant: r\nUndoes: y\nRace: maybe\nExpect: a\nDescription: z\n', 'r.patch')).toThrow("r.patch: 'Race: maybe' must be yes or no");
    expect(() => parseMutantHeader('Mutant: r\nUndoes: y\nCmdline: a=1; reboot\nExpect: a\nDescription: z\n')).toThrow(/key=value words/);
    expect(() => parseMutantHeader('Mutant: r\nUndoes: y\nCmdline: a=$(x)\nExpect: a\nDescription: z\n')).toThrow(/key=value words/);
  });

  it('lists the files a diff changes, -p1', () => {
    expect(patchedFiles(PATCH)).toEqual(['fs/tracefs/inode.c', 'kernel/trace/trace.c']);
    expect(patchedFiles('--- /dev/null\n+++ b/new/file.c\n--- a/gone.c\n+++ /dev/null\n')).toEqual(['new/file.c']);
  });

  it('every shipped mutant has a complete header and a diff', () => {
    const dir = fileURLToPath(new URL('../../mutants', import.meta.url));
    const ms = readMutants(dir);
    expect(ms.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ms.map((m) => m.name)).size).toBe(ms.length);
    for (const m of ms) {
      expect(m.expect.length).toBeGreaterThan(0);
      expect(patchedFiles(fs.readFileSync(m.file, 'utf8')).length).toBeGreaterThan(0);
    }
    // The self-test must be able to see races: at least two mutants only concurrency shows.
    const races = ms.filter((m) => m.race);
    expect(races.length).toBeGreaterThanOrEqual(2);
    for (const m of races) expect(m.expect.every((id) => id.startsWith('race-'))).toBe(true);
  });
});
