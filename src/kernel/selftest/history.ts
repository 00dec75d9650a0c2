// SPDX-License-Identifier: GPL-2.0-only
// The self-test's synthetic kernel history for `kernel bisect`: a git repo of
// Debian's linux-source as it is (commit 1), a harmless comment in
// fs/tracefs/event_inode.c (2), one test/mutants patch (3), a harmless line
// in Documentation (4). Kept under ~/.cache/tracefs-regress/bisect-history,
// keyed by the source version and the mutant's diff, so only the first run
// pays for `git add` of ~87k files.
//
// The work tree starts as a hard-linked copy of the pristine source (seconds,
// no space): git never writes a checked-out file in place (it unlinks and
// creates), patch(1) writes a new file and renames it, and the harmless edits
// below unlink first, so the pristine tree is never changed through a link.
import fs from 'node:fs';
import path from 'node:path';
import { sha256Of } from '../../host/hash.js';
import { lockFile, withLock } from '../../host/lock.js';
import { cacheRoot } from '../../host/paths.js';
import { sourceLock } from '../build.js';
import { bisecting, git, gitOk, localChanges } from '../bisect/git.js';
import { parseMutantHeader } from '../patches.js';
import { debianSource, DEFAULT_SERIES } from '../source.js';
import { applyPatch, describePatches } from '../tree.js';
import { runOk } from '../../host/exec.js';

/** Bump when the commits below change: the cached repo is then made again. */
const LAYOUT = 1;

export interface History {
  /** The repo's work tree (its top). */
  dir: string;
  clean: string;
  harmless: string;
  mutant: string;
  docs: string;
  /** The mutant commit's subject. */
  mutantSubject: string;
}

/** Fixed identity and dates: the same source and mutant give the same hashes on every machine. */
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'tracefs-regress',
  GIT_AUTHOR_EMAIL: 'selftest@tracefs-regress.invalid',
  GIT_COMMITTER_NAME: 'tracefs-regress',
  GIT_COMMITTER_EMAIL: 'selftest@tracefs-regress.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

export function historyRoot(): string {
  return path.join(cacheRoot(), 'bisect-history');
}

/** Append a line to a file without writing through a hard link to the pristine tree. */
function appendFresh(file: string, line: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const mode = fs.statSync(file).mode;
  fs.unlinkSync(file);
  fs.writeFileSync(file, `${text}${line}\n`, { mode });
}

async function commitAll(dir: string, subject: string): Promise<string> {
  // -f: Debian's top-level .gitignore ignores everything (`/*`, "isn't included in our repository").
  await gitOk(dir, ['add', '-A', '-f'], GIT_ENV);
  await gitOk(dir, ['commit', '-q', '--no-verify', '-m', subject], GIT_ENV);
  return gitOk(dir, ['rev-parse', 'HEAD']);
}

async function make(src: { dir: string; label: string }, mutantFile: string, name: string, dest: string, say: (m: string) => void): Promise<History> {
  const tmp = `${dest}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await runOk('cp', ['-al', src.dir, tmp]);
  say(`history: git init + add of ${src.label} in ${tmp} (about a minute)`);
  await gitOk(tmp, ['init', '-q', '-b', 'history']);
  // No background gc or fsmonitor while a bisect checks out; no hooks, signing or CRLF games.
  const config = [
    ['gc.auto', '0'],
    ['commit.gpgSign', 'false'],
    ['core.autocrlf', 'false'],
    ['core.hooksPath', '/dev/null'],
  ] as const;
  for (const [k, v] of config) {
    await gitOk(tmp, ['config', k, v]);
  }
  const t0 = Date.now();
  await runOk('nice', ['-n', '19', 'git', '-C', tmp, 'add', '-A', '-f'], { env: GIT_ENV });
  const clean = await commitAll(tmp, `${src.label} as Debian ships it`);
  say(`history: commit 1 (clean) ${clean.slice(0, 12)} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  appendFresh(path.join(tmp, 'fs/tracefs/event_inode.c'), '/* tracefs-regress synthetic history: a comment, nothing else. */');
  const harmless = await commitAll(tmp, 'eventfs: a comment at the end of event_inode.c (harmless)');
  await applyPatch(tmp, mutantFile);
  const mutantSubject = `eventfs: planted regression ${name} (${path.basename(mutantFile)})`;
  const mutant = await commitAll(tmp, mutantSubject);
  appendFresh(path.join(tmp, 'Documentation/trace/kprobetrace.rst'), '.. tracefs-regress synthetic history: a harmless line.');
  const docs = await commitAll(tmp, 'Documentation: a comment in kprobetrace.rst (harmless)');
  fs.renameSync(tmp, dest);
  return { dir: dest, clean, harmless, mutant, docs, mutantSubject };
}

/** The four commits exist and the tree is on its branch, clean, not mid-bisect (a killed run may leave one). */
async function usable(h: History): Promise<boolean> {
  if (!fs.existsSync(h.dir)) return false;
  if (await bisecting(h.dir)) await git(h.dir, ['bisect', 'reset']);
  for (const c of [h.clean, h.harmless, h.mutant, h.docs]) if ((await git(h.dir, ['cat-file', '-e', `${c}^{commit}`])).exitCode !== 0) return false;
  const head = await git(h.dir, ['rev-parse', 'HEAD']);
  return head.stdout.trim() === h.docs && (await localChanges(h.dir)).length === 0;
}

/** The history for a mutant, made once per source version and mutant diff. */
export async function syntheticHistory(mutantFile: string, say: (m: string) => void): Promise<History> {
  const src = await withLock(sourceLock(DEFAULT_SERIES), () => debianSource(DEFAULT_SERIES, { log: say }));
  const text = fs.readFileSync(mutantFile, 'utf8');
  const { name } = parseMutantHeader(text, path.basename(mutantFile));
  const version = path.basename(path.dirname(src.dir));
  const key = `${version}-${name}-${sha256Of(JSON.stringify([LAYOUT, describePatches([mutantFile])[0]!.sha256])).slice(0, 8)}`;
  const base = path.join(historyRoot(), key);
  const meta = path.join(base, 'history.json');
  return withLock(lockFile(`history-${key}`), async () => {
    if (fs.existsSync(meta)) {
      const h = JSON.parse(fs.readFileSync(meta, 'utf8')) as History;
      if (await usable(h)) {
        say(`history: reusing ${h.dir}`);
        return h;
      }
      say(`history: ${h.dir} is not as it was made; making it again`);
    }
    fs.rmSync(base, { recursive: true, force: true });
    fs.mkdirSync(base, { recursive: true });
    const h = await make(src, mutantFile, name, path.join(base, 'repo'), say);
    fs.writeFileSync(meta, JSON.stringify(h, null, 2) + '\n');
    return h;
  });
}
