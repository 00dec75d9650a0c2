// SPDX-License-Identifier: GPL-2.0-only
// The README is a front door: at most 300 lines, and every page under docs/
// reachable from it; no relative link in the README or docs/ points nowhere.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MAX_README_LINES = 300;

/** Relative link targets of a markdown text (no URLs, no in-page anchors), without their #fragment. */
function relativeLinks(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    out.push(target.replace(/#.*$/, ''));
  }
  return out;
}

/** Files under dir (relative to root), recursively. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
}

/** The pages (markdown, CI files) that must be linked: everything in docs/ but a page's data and images. */
function pages(files: string[]): string[] {
  return files.filter((f) => f.endsWith('.md') || f.startsWith('docs/ci/'));
}

/** Pages the README does not link to (a link to a folder counts for no page). */
function unlinked(readme: string, docs: string[]): string[] {
  const linked = new Set(relativeLinks(readme).map((l) => path.posix.normalize(l)));
  return docs.filter((p) => !linked.has(p));
}

/** Links of a markdown file (relative to root) whose target does not exist. */
function broken(file: string, text: string, exists: (p: string) => boolean): string[] {
  return relativeLinks(text)
    .map((l) => path.posix.normalize(path.posix.join(path.posix.dirname(file), l)))
    .filter((p) => !exists(p));
}

const exists = (p: string): boolean => fs.existsSync(path.join(root, p));

describe('README.md', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

  it(`has at most ${MAX_README_LINES} lines`, () => {
    expect(readme.split('\n').length - 1).toBeLessThanOrEqual(MAX_README_LINES);
  });

  it('links every page under docs/', () => {
    const docs = pages(filesUnder('docs'));
    expect(docs).toContain('docs/cli.md');
    expect(unlinked(readme, docs)).toEqual([]);
  });

  it('no relative link in the README, CHANGELOG or docs/ points nowhere', () => {
    const files = ['README.md', 'CHANGELOG.md', ...filesUnder('docs').filter((f) => f.endsWith('.md'))];
    const bad = files.flatMap((f) =>
      broken(f, fs.readFileSync(path.join(root, f), 'utf8'), exists).map((t) => `${f} -> ${t}`),
    );
    expect(bad).toEqual([]);
  });

  it('fails on planted input: an unlinked page, a broken link, links with anchors and URLs', () => {
    const text = 'see [a](docs/a.md#x), [web](https://example.org/docs/b.md) and [top](#why)';
    expect(relativeLinks(text)).toEqual(['docs/a.md']);
    expect(unlinked(text, ['docs/a.md', 'docs/b.md', 'docs/ci/x.yml'])).toEqual(['docs/b.md', 'docs/ci/x.yml']);
    expect(broken('docs/x.md', '[y](y.md) [z](../README.md)', (p) => p === 'README.md')).toEqual(['docs/y.md']);
    expect(pages(['docs/a.md', 'docs/a.png', 'docs/ci/k.yml', 'docs/d/1.json'])).toEqual([
      'docs/a.md',
      'docs/ci/k.yml',
    ]);
  });
});
