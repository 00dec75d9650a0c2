// SPDX-License-Identifier: GPL-2.0-only
// What keeps the `unit` project pure: no child process, no native addon, no
// compiler (a compiler is a child process too). Tests that need any of them
// belong to the `host` project (test/host/, mirroring src/ like test/unit/).
//
// Two checks. scanImpure() reads the sources of test/unit/ for the markers of
// an impure test, so a new one is named before it runs. installGuard() is the
// unit project's setup file: it makes every child_process launcher and the
// loading of a .node binary throw, and fails the file afterwards, which also
// catches what no marker names (a src/ module that spawns, or reaches the addon
// through native/).
import cp from 'node:child_process';
import fs from 'node:fs';
import Module, { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

/** A line of a test source that makes it impure, and why. */
export interface Marker {
  why: string;
  pattern: RegExp;
}

// The addon is reached through node-gyp-build (src/native/addon.ts), which
// stays whatever shape the native/ interface takes. No src/ module loads it at
// import time (native/ loads it on first use), so importing native/ is no
// marker: a test that calls into it is refused by the guard instead.
export const MARKERS: readonly Marker[] = [
  { why: 'child processes (node:child_process)', pattern: /['"](node:)?child_process['"]/ },
  { why: 'child processes (execa)', pattern: /from\s+['"]execa['"]|import\(\s*['"]execa['"]\s*\)/ },
  { why: 'the native addon (node-gyp-build)', pattern: /['"]node-gyp-build['"]/ },
  { why: 'the native addon (a .node binary)', pattern: /\.node['"]\s*\)|process\.dlopen/ },
  { why: 'a C compiler', pattern: /['"](cc|gcc|clang|g\+\+)['"]/ },
];

/** Every .ts file under dir, recursively. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** "<file relative to dir>: <why>" for every marker found in the .ts sources under dir. */
export function scanImpure(dir: string, markers: readonly Marker[] = MARKERS): string[] {
  const found: string[] = [];
  for (const file of sources(dir).sort()) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of markers) if (m.pattern.test(text)) found.push(`${path.relative(dir, file)}: ${m.why}`);
  }
  return found;
}

const LAUNCHERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
const VIOLATIONS = Symbol.for('tracefs-regress.unit-purity.violations');

type Violations = { list: string[] };

/** The violations the guard saw in this worker since the last take (and forgets them). */
export function takeViolations(): string[] {
  const v = (globalThis as { [VIOLATIONS]?: Violations })[VIOLATIONS];
  if (!v) return [];
  return v.list.splice(0);
}

/** Makes child processes and .node loading throw in this worker, once. */
export function installGuard(): void {
  const g = globalThis as { [VIOLATIONS]?: Violations };
  if (g[VIOLATIONS]) return;
  const v: Violations = { list: [] };
  g[VIOLATIONS] = v;
  const refuse = (what: string): never => {
    const msg = `unit tests are pure: ${what} is not allowed here; move the test file to test/host/`;
    v.list.push(msg);
    throw new Error(msg);
  };
  const mutable = cp as unknown as Record<string, unknown>;
  for (const name of LAUNCHERS) {
    mutable[name] = (...args: unknown[]) => refuse(`child_process.${name}(${String(args[0])})`);
  }
  // ESM imports of node:child_process (src/ modules, execa) see the patched functions too.
  syncBuiltinESMExports();
  process.dlopen = ((_m: unknown, file: string) => refuse(`loading ${file}`)) as typeof process.dlopen;
  // Once a worker has loaded the addon, require's cache would hand it out again without dlopen.
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    if (request === 'node-gyp-build' || request.endsWith('.node')) refuse(`require(${request})`);
    return load.call(this, request, ...rest);
  };
}
