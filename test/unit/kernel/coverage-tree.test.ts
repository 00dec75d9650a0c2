// SPDX-License-Identifier: GPL-2.0-only
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COVERAGE_EDITS, coverageTreeKey, instrumentTree, TRACE_OBJECTS, withCoverageBlock } from '../../../src/kernel/coverage-tree.js';
import { treeKey } from '../../../src/kernel/tree.js';

const MAKEFILE = '# SPDX-License-Identifier: GPL-2.0\nobj-$(CONFIG_TRACING) += trace.o\n';

describe('withCoverageBlock', () => {
  it('appends one line per object and is idempotent', () => {
    const once = withCoverageBlock(MAKEFILE, ['GCOV_PROFILE_trace_events.o := y', 'KCOV_INSTRUMENT_trace_events.o := y']);
    expect(once).toBe(
      MAKEFILE +
        '# tracefs-regress: coverage instrumentation (kernel build --coverage)\n' +
        'GCOV_PROFILE_trace_events.o := y\nKCOV_INSTRUMENT_trace_events.o := y\n' +
        '# tracefs-regress: end of coverage instrumentation\n',
    );
    expect(withCoverageBlock(once, ['GCOV_PROFILE_trace_events.o := y', 'KCOV_INSTRUMENT_trace_events.o := y'])).toBe(once);
  });

  it('replaces an older block instead of adding a second one', () => {
    const old = withCoverageBlock(MAKEFILE, ['GCOV_PROFILE_x.o := y']);
    const next = withCoverageBlock(old, ['GCOV_PROFILE_y.o := y']);
    expect(next).not.toContain('GCOV_PROFILE_x.o');
    expect(next.match(/coverage instrumentation \(/g)).toHaveLength(1);
  });

  it('adds the newline a Makefile without one lacks', () => {
    expect(withCoverageBlock('a := b', ['c := d'])).toMatch(/^a := b\n# tracefs-regress/);
  });

  it('gives every instrumented kernel/trace object its gcov and KCOV line', () => {
    const lines = COVERAGE_EDITS.find((e) => e.file === 'kernel/trace/Makefile')!.lines;
    for (const o of TRACE_OBJECTS) expect(lines).toEqual(expect.arrayContaining([`GCOV_PROFILE_${o}.o := y`, `KCOV_INSTRUMENT_${o}.o := y`]));
    expect(lines).toHaveLength(2 * TRACE_OBJECTS.length);
    expect(COVERAGE_EDITS.find((e) => e.file === 'fs/tracefs/Makefile')!.lines).toEqual(['GCOV_PROFILE := y', 'KCOV_INSTRUMENT := y']);
  });
});

describe('instrumentTree', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const treeWith = (files: string[]) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'covtree-'));
    dirs.push(root);
    const pristine = path.join(root, 'pristine');
    const tree = path.join(root, 'tree');
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(pristine, f)), { recursive: true });
      fs.writeFileSync(path.join(pristine, f), MAKEFILE);
      fs.mkdirSync(path.dirname(path.join(tree, f)), { recursive: true });
      fs.linkSync(path.join(pristine, f), path.join(tree, f));
    }
    return { pristine, tree };
  };

  it('edits the hard-linked copy and leaves the pristine file alone', () => {
    const { pristine, tree } = treeWith(['fs/tracefs/Makefile', 'kernel/trace/Makefile']);
    expect(instrumentTree(tree)).toEqual(['fs/tracefs/Makefile', 'kernel/trace/Makefile']);
    expect(fs.readFileSync(path.join(pristine, 'kernel/trace/Makefile'), 'utf8')).toBe(MAKEFILE);
    expect(fs.readFileSync(path.join(tree, 'kernel/trace/Makefile'), 'utf8')).toContain('GCOV_PROFILE_trace_kprobe.o := y');
    expect(fs.statSync(path.join(tree, 'kernel/trace/Makefile')).nlink).toBe(1);
    expect(instrumentTree(tree)).toEqual([]);
  });

  it('refuses a tree without the Makefiles, and changes nothing in it', () => {
    const { tree } = treeWith(['fs/tracefs/Makefile']);
    expect(() => instrumentTree(tree)).toThrow(/kernel\/trace\/Makefile is not in/);
    expect(fs.readFileSync(path.join(tree, 'fs/tracefs/Makefile'), 'utf8')).toBe(MAKEFILE);
  });
});

describe('the tree key', () => {
  it('differs with the coverage edit and stays as before without one', () => {
    const plain = treeKey('/src', []);
    expect(treeKey('/src', [], coverageTreeKey())).not.toBe(plain);
    expect(treeKey('/src', [], undefined)).toBe(plain);
  });
});

describe('kernel build --coverage input', () => {
  it('names the build tiny-coverage and merges kernel/coverage.config', async () => {
    const { checkBuildInput } = await import('../../../src/kernel/build.js');
    const { fragmentFiles } = await import('../../../src/kernel/configure.js');
    expect(checkBuildInput({ coverage: true }, () => true)).toMatchObject({ name: 'tiny-coverage', coverage: true });
    expect(checkBuildInput({ coverage: true, kasan: true }, () => true).name).toBe('tiny-kasan-coverage');
    expect(checkBuildInput({}, () => true).name).toBe('tiny');
    const frags = fragmentFiles({ kasan: false, coverage: true });
    expect(frags.map((f) => path.basename(f))).toEqual(['tracefs-regress.config', 'coverage.config']);
    const text = fs.readFileSync(frags[1]!, 'utf8');
    for (const line of ['CONFIG_GCOV_KERNEL=y', 'CONFIG_KCOV=y', '# CONFIG_KCOV_INSTRUMENT_ALL is not set', '# CONFIG_GCOV_PROFILE_ALL is not set'])
      expect(text.split('\n')).toContain(line);
  });
});
