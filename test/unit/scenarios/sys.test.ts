// SPDX-License-Identifier: GPL-2.0-only
// Scenarios make their system calls through ctx.sys, the interface the runner
// gives them (and a recording wraps): a scenario file that imports the
// addon's `native` would make calls no recording sees. Read from the sources.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve(import.meta.dirname, '..', '..', '..', 'src', 'scenarios');

/** The names a source imports from src/native/ that bypass ctx.sys (`native`, `loadAddon`). */
function gatewayImports(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'\.\.\/native\/[^']*'/g)) {
    for (const name of m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
      if (name === 'native' || name === 'loadAddon' || name.startsWith('native as')) out.push(name);
    }
  }
  return out;
}

describe('scenarios and the system-call interface', () => {
  it('flags a planted import of the gateway, and not the helpers', () => {
    expect(gatewayImports("import { native, C, isErr } from '../native/index.js';")).toEqual(['native']);
    expect(gatewayImports("import {\n  C,\n  loadAddon,\n} from '../native/addon.js';")).toEqual(['loadAddon']);
    expect(gatewayImports("import { C, isErr, listDir, type Sys } from '../native/index.js';")).toEqual([]);
  });

  it('no scenario file imports the addon itself: every call goes through ctx.sys', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) =>
      gatewayImports(fs.readFileSync(path.join(DIR, f), 'utf8')).map((n) => `${f}: ${n}`),
    );
    expect(found).toEqual([]);
  });
});
