// SPDX-License-Identifier: GPL-2.0-only
// The shipped CI files (GitHub's workflow, GitLab's example) parsed: the shard
// matrix covers 1..N, every tracefs-regress command in them parses with the
// real CLI (no flag it lacks), --shard is i/N, and the merge reads the files
// the shard jobs upload.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/main.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const load = (f: string) => parse(fs.readFileSync(path.join(ROOT, f), 'utf8')) as Record<string, any>;

/** Each `npx tracefs-regress ...` line of a script, continuation lines joined. */
function commands(script: string): string[] {
  return script
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => /npx tracefs-regress (.*)$/.exec(l)?.[1])
    .filter((l): l is string => !!l);
}

/** argv of a command line, shell words split; shell expansions stand as one placeholder word each. */
const words = (line: string) =>
  line
    .replace(/\s*(\|\||;|>>).*$/, '')
    .replace(/"\$\{args\[@\]\}"|\$args/g, '--kernel debian:6.12')
    .replace(/\$RUN_ARGS/g, '-s removed-files-enoent -p uprobe')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/^"|"$/g, ''));

/** The command the real program reaches for argv, and the options it parsed; throws on an unknown flag. */
async function parses(argv: string[]): Promise<{ name: string; opts: Record<string, unknown>; args: string[] }> {
  const full = ['node', 'tracefs-regress', ...argv];
  const program = await buildProgram(full);
  let hit: { name: string; opts: Record<string, unknown>; args: string[] } | undefined;
  const stub = (c: Command, prefix: string) => {
    for (const sub of c.commands) {
      sub.action((...a: unknown[]) => {
        const cmd = a.at(-1) as Command;
        hit = { name: `${prefix}${sub.name()}`, opts: cmd.opts(), args: cmd.args };
      });
      stub(sub, `${prefix}${sub.name()} `);
    }
  };
  stub(program, '');
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  await program.parseAsync(full);
  return hit!;
}

describe('the CLI check itself', () => {
  it('refuses a flag the command lacks (planted), and knows --shard', async () => {
    await expect(parses(['vm', '--kernel', 'debian:6.12', '--shards', '1/2'])).rejects.toThrow(
      /unknown option '--shards'/,
    );
    await expect(parses(['report', 'merge', 'a.json', '--out', 'x'])).rejects.toThrow(/unknown option '--out'/);
    expect((await parses(['report', 'merge', 'a.json', 'b.json'])).args).toEqual(['a.json', 'b.json']);
  });
});

describe('.github/workflows/kernel-matrix.yml', () => {
  const wf = load('.github/workflows/kernel-matrix.yml');
  const shards = wf.jobs.shards;
  const script = (job: any) => job.steps.map((s: any) => s.run ?? '').join('\n');

  it('its matrix is the shards 1..SHARDS', () => {
    const n = Number(wf.env.SHARDS);
    expect(shards.strategy.matrix.shard).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(shards.strategy['fail-fast']).toBe(false);
  });

  it('the shard job runs vm --shard ${i}/${N} with flags vm has, and uploads shard-<i>.json', async () => {
    const [line, ...rest] = commands(script(shards));
    expect(rest).toEqual([]);
    const argv = words(line!.replace('${{ matrix.shard }}/${{ env.SHARDS }}', '2/4').replace(/\$BOOTS/, '1'));
    const hit = await parses(argv);
    expect(hit.name).toBe('vm');
    expect(hit.opts).toMatchObject({ shard: '2/4', installDeps: true, boots: '1' });
    expect(line).toContain('--shard ${{ matrix.shard }}/${{ env.SHARDS }}');
    expect(line).toMatch(/-f json -o shard-\$\{\{ matrix\.shard \}\}\.json$/);
    const upload = shards.steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact'));
    expect(upload.with).toMatchObject({ name: 'shard-${{ matrix.shard }}', path: 'shard-${{ matrix.shard }}.json' });
  });

  it('the merge job runs after every shard, even failed ones, and merges the uploaded files with report merge', async () => {
    const merge = wf.jobs.merge;
    expect(merge.needs).toBe('shards');
    expect(merge.if).toBe('always()');
    const down = merge.steps.find((s: any) => String(s.uses).startsWith('actions/download-artifact'));
    expect(down.with).toMatchObject({ pattern: 'shard-*', path: 'shards', 'merge-multiple': true });
    const lines = commands(script(merge));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      const argv = words(l.replace('shards/shard-*.json', 'shards/shard-1.json shards/shard-2.json'));
      expect(argv.slice(0, 2)).toEqual(['report', 'merge']);
      expect(argv).toContain('shards/shard-1.json');
    }
    // junit and json parse today; html and markdown come with the matrix formats (issue 20 item 3).
    for (const f of ['junit', 'json']) {
      const l = lines.find((x) => x.includes(`-f ${f} `))!;
      const hit = await parses(words(l.replace('shards/shard-*.json', 'a.json b.json')));
      expect(hit).toMatchObject({ name: 'report merge', opts: { format: f } });
    }
  });
});

describe('docs/ci/gitlab-kernel-matrix.yml', () => {
  const ci = load('docs/ci/gitlab-kernel-matrix.yml');

  it('runs parallel shards with --shard $CI_NODE_INDEX/$CI_NODE_TOTAL and flags vm has; merge reads their artifacts', async () => {
    expect(Number.isInteger(ci.shards.parallel) && ci.shards.parallel > 1).toBe(true);
    const [line] = commands(ci.shards.script.join('\n'));
    expect(line).toContain('--shard $CI_NODE_INDEX/$CI_NODE_TOTAL');
    const hit = await parses(words(line!.replace('$CI_NODE_INDEX/$CI_NODE_TOTAL', '1/4').replace('"$BOOTS"', '1')));
    expect(hit).toMatchObject({ name: 'vm', opts: { shard: '1/4' } });
    expect(ci.shards.artifacts.paths).toEqual(['shard-*.json']);
    expect(line).toMatch(/-o shard-\$CI_NODE_INDEX\.json$/);
    expect(ci.merge.needs).toEqual([{ job: 'shards', artifacts: true }]);
    expect(ci.merge.when).toBe('always');
    const lines = commands(ci.merge.script.join('\n'));
    for (const l of lines) expect(l).toMatch(/^report merge shard-\*\.json -f \w+ -o matrix\.\w+/);
    const junit = lines.find((l) => l.includes('-f junit'))!;
    expect(await parses(words(junit.replace('shard-*.json', 'a.json')))).toMatchObject({ name: 'report merge' });
  });
});
