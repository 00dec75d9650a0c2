// SPDX-License-Identifier: GPL-2.0-only
// docs/cli.md is generated from the commander definitions (npm run docs): a
// new option, or a changed help text, must reach the page in the same commit.
// Pure: buildProgram() loads the command modules but neither the addon nor a
// process.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/main.js';
import { CLI_DOC, HELP_WIDTH, renderCliDoc } from '../../../scripts/gen-docs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('docs/cli.md', () => {
  it('is what npm run docs writes from the commander definitions', async () => {
    const want = renderCliDoc(await buildProgram(['node', 'tracefs-regress']));
    const have = fs.readFileSync(path.join(root, CLI_DOC), 'utf8');
    // On failure: run `npm run docs` and commit docs/cli.md.
    expect(have).toBe(want);
  });

  it('lists every command and subcommand, each with its options', async () => {
    const text = renderCliDoc(await buildProgram(['node', 'tracefs-regress']));
    for (const name of ['run', 'list', 'doctor', 'cleanup', 'vm', 'kernel bisect', 'report merge'])
      expect(text).toContain(`## tracefs-regress ${name}\n`);
    // The hand copy this replaced had lost vm's -k and -v.
    expect(text).toMatch(/-k, --kernel <path\|debian:spec>/);
    expect(text).toMatch(/-v, --verbose +also print the guest kernel console/);
  });

  it('does not depend on the terminal: the same page at any width or colour setting', async () => {
    const columns = process.stdout.columns;
    const a = renderCliDoc(await buildProgram(['node', 'tracefs-regress']));
    try {
      process.stdout.columns = 40;
      process.env.FORCE_COLOR = '1';
      const b = renderCliDoc(await buildProgram(['node', 'tracefs-regress']));
      expect(b).toBe(a);
    } finally {
      process.stdout.columns = columns;
      delete process.env.FORCE_COLOR;
    }
    for (const line of a.split('\n').filter((l) => !l.startsWith('<!--') && !l.startsWith('- [')))
      expect(line.length).toBeLessThanOrEqual(HELP_WIDTH);
  });

  it('fails on a planted stale page: a help text changed after the page was written', () => {
    const program = new Command('tool').addCommand(new Command('go').option('--fast', 'go fast'));
    const page = renderCliDoc(program);
    const changed = new Command('tool').addCommand(new Command('go').option('--fast', 'go faster'));
    expect(renderCliDoc(changed)).not.toBe(page);
  });
});
