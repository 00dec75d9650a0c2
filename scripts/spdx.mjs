// SPDX-License-Identifier: GPL-2.0-only
// Checks that every source file the repository tracks starts with the kernel's
// SPDX line, and with --fix adds it: `// SPDX-License-Identifier: GPL-2.0-only`
// for C and TS/JS, `/* ... */` for C headers (the kernel's
// Documentation/process/license-rules.rst), `# ...` for shell, make and gyp;
// on the first line, or the second after a `#!` line. The file list is the git
// index, read directly, so the unit test that runs this over the real tree
// spawns no git.
//   node scripts/spdx.mjs          list the files without it, exit 1 if any
//   node scripts/spdx.mjs --fix    add it to them
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LICENSE_ID = 'GPL-2.0-only';
const TAG = `SPDX-License-Identifier: ${LICENSE_ID}`;

/**
 * Tracked files that are not hand-written source, or whose bytes something
 * else owns: each says why.
 */
export const EXEMPT = [
  // Written by `npm run gen:native` from src/native/race-params.ts, and a test compares the two:
  // the line belongs in the generator's output.
  { pattern: /^native\/race\/params\.gen\.h$/, why: 'generated (npm run gen:native)' },
  // Evidence: a reproducer as the tool wrote it and as it was verified (docs/findings.md).
  { pattern: /^docs\//, why: 'documentation and kept evidence, not source' },
];

/**
 * The comment that carries the line in this file, or undefined when the file
 * is not source (JSON, patches, markdown, data).
 * @param {string} file path relative to the repository root
 * @param {string} text the file's content
 * @returns {string | undefined}
 */
export function spdxLine(file, text) {
  if (EXEMPT.some((e) => e.pattern.test(file))) return undefined;
  const base = path.posix.basename(file);
  if (/\.(ts|mts|cts|js|mjs|cjs|c|cc)$/.test(base)) return `// ${TAG}`;
  if (/\.h$/.test(base)) return `/* ${TAG} */`;
  if (/\.(sh|py|gyp|mk)$/.test(base) || base === 'Makefile') return `# ${TAG}`;
  // A script without an extension (.ci/run) is source when its #! names a shell.
  if (!base.includes('.') && /^#!.*\b(sh|bash|dash)\b/.test(text)) return `# ${TAG}`;
  return undefined;
}

/** @param {string} text */
function hasShebang(text) {
  return text.startsWith('#!');
}

/**
 * The tracked source files that lack the line where it belongs.
 * @param {{ path: string, text: string }[]} files
 * @returns {string[]}
 */
export function missingSpdx(files) {
  return files
    .filter(({ path: file, text }) => {
      const line = spdxLine(file, text);
      if (line === undefined) return false;
      const lines = text.split('\n');
      return lines[hasShebang(text) ? 1 : 0] !== line;
    })
    .map((f) => f.path);
}

/**
 * The file with its line added (first line, or after the #! line); unchanged
 * when it has it or is not source.
 * @param {string} file
 * @param {string} text
 * @returns {string}
 */
export function withSpdx(file, text) {
  const line = spdxLine(file, text);
  if (line === undefined || missingSpdx([{ path: file, text }]).length === 0) return text;
  const lines = text.split('\n');
  const at = hasShebang(text) ? 1 : 0;
  // Another identifier where ours goes (kselftest's Makefiles say GPL-2.0) is replaced, not doubled.
  if (lines.length > at && lines[at].includes('SPDX-License-Identifier:')) lines[at] = line;
  else if (at === 1 && lines.length === 1) lines.push(line, '');
  else lines.splice(at, 0, line);
  return lines.join('\n');
}

/**
 * The paths in a git index file (DIRC versions 2, 3 and 4, SHA-1 object ids):
 * what `git ls-files` prints.
 * @param {Buffer} buf
 * @returns {string[]}
 */
export function indexPaths(buf) {
  if (buf.toString('latin1', 0, 4) !== 'DIRC') throw new Error('not a git index (no DIRC signature)');
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) throw new Error(`git index version ${version} is not supported`);
  const count = buf.readUInt32BE(8);
  const paths = [];
  let at = 12;
  let previous = '';
  for (let i = 0; i < count; i++) {
    const start = at;
    // ctime, mtime, dev, ino, mode, uid, gid, size (40 bytes), the object id (20), flags (2)
    const flags = buf.readUInt16BE(at + 60);
    at += 62;
    if (version >= 3 && flags & 0x4000) at += 2;
    let name;
    if (version === 4) {
      // The length of the previous path's tail to drop, as git's offset varint, then the rest.
      let strip = buf[at] & 0x7f;
      while (buf[at++] & 0x80) strip = ((strip + 1) << 7) | (buf[at] & 0x7f);
      const end = buf.indexOf(0, at);
      name = previous.slice(0, previous.length - strip) + buf.toString('utf8', at, end);
      at = end + 1;
    } else {
      const end = buf.indexOf(0, at);
      name = buf.toString('utf8', at, end);
      // NUL-padded so the entry's length is a multiple of 8 (at least one NUL).
      at = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    paths.push(name);
    previous = name;
  }
  return paths;
}

/**
 * The index of the checkout at root (a worktree's .git is a file naming its gitdir).
 * @param {string} root
 * @returns {string}
 */
export function indexFile(root) {
  const dotGit = path.join(root, '.git');
  if (fs.statSync(dotGit).isDirectory()) return path.join(dotGit, 'index');
  const gitdir = /^gitdir: (.*)$/m.exec(fs.readFileSync(dotGit, 'utf8'))?.[1];
  if (!gitdir) throw new Error(`${dotGit}: no gitdir line`);
  return path.join(path.resolve(root, gitdir.trim()), 'index');
}

/**
 * Every tracked file under root that exists in the work tree, with its text.
 * @param {string} root
 * @returns {{ path: string, text: string }[]}
 */
export function trackedFiles(root) {
  const files = [];
  for (const file of indexPaths(fs.readFileSync(indexFile(root)))) {
    let text;
    try {
      text = fs.readFileSync(path.join(root, file), 'utf8');
    } catch (e) {
      // Deleted in the work tree, or a submodule's directory: nothing to check.
      if (e.code === 'ENOENT' || e.code === 'EISDIR') continue;
      throw e;
    }
    files.push({ path: file, text });
  }
  return files;
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files = trackedFiles(root);
  const missing = missingSpdx(files);
  if (process.argv.includes('--fix')) {
    for (const f of files.filter((x) => missing.includes(x.path)))
      fs.writeFileSync(path.join(root, f.path), withSpdx(f.path, f.text));
    console.log(`spdx: added the line to ${missing.length} file(s)`);
    return;
  }
  for (const file of missing) console.log(`${file}: no "${TAG}" line`);
  if (missing.length > 0) {
    console.error(`spdx: ${missing.length} file(s) without it; fix: node scripts/spdx.mjs --fix`);
    process.exitCode = 1;
  } else console.log(`spdx: all ${files.length} tracked files checked`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
