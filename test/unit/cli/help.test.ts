// SPDX-License-Identifier: GPL-2.0-only
// Help as the user reads it: each option's choices and default once, the
// value lists of --format and --tcg, --color on every command, and one time
// syntax for every option that takes a length of time.
import { describe, expect, it } from 'vitest';
import type { Command, Option } from 'commander';
import { buildProgram } from '../../../src/cli/main.js';

/** The commands that do something: the leaves, and a command with arguments of its own beside its subcommands (report). */
function leaves(cmd: Command, path: string[] = []): { path: string; cmd: Command }[] {
  return cmd.commands.flatMap((c) => {
    const self = { path: [...path, c.name()].join(' '), cmd: c };
    if (!c.commands.length) return [self];
    return [...(c.registeredArguments.length ? [self] : []), ...leaves(c, [...path, c.name()])];
  });
}

const count = (s: string, word: string) => s.split(word).length - 1;

describe('help', async () => {
  const program = await buildProgram(['node', 'tracefs-regress', '--help']);
  const commands = leaves(program);
  const described = (c: Command, o: Option) => c.createHelp().optionDescription(o);

  it('covers every command', () => {
    expect(commands.map((c) => c.path).sort()).toEqual(
      [
        'cleanup',
        'doctor',
        'explore',
        'kernel bisect',
        'kernel bisect-step',
        'kernel build',
        'kernel config',
        'kernel list',
        'kernel mutants',
        'kernel selftest',
        'list',
        'report',
        'report merge',
        'run',
        'vm',
      ].sort(),
    );
  });

  it('names each default and each choice list at most once per option, never as a raw []', () => {
    for (const { path, cmd } of commands) {
      for (const o of cmd.options) {
        const d = described(cmd, o);
        expect({ path, flag: o.long, defaults: count(d, 'default:') }).toEqual({
          path,
          flag: o.long,
          defaults: Math.min(1, count(d, 'default:')),
        });
        expect({ path, flag: o.long, choices: count(d, 'choices:') }).toEqual({
          path,
          flag: o.long,
          choices: Math.min(1, count(d, 'choices:')),
        });
        expect(d, `${path} ${o.long}`).not.toContain('default: []');
      }
    }
  });

  it('a planted double default is caught by the same count', () => {
    const run = commands.find((c) => c.path === 'run')!.cmd;
    const planted = run.createOption('-x, --planted <v>', 'thing (default: all)').default([]);
    expect(count(described(run, planted), 'default:')).toBe(2);
  });

  it('lists the values of --format, --tcg, --color and list --format', () => {
    const opt = (path: string, flag: string) => {
      const c = commands.find((x) => x.path === path)!.cmd;
      return described(
        c,
        c.options.find((o) => o.long === flag)!,
      );
    };
    expect(opt('run', '--format')).toContain(
      'choices: "pretty", "ktap", "json", "junit", "lkml", "markdown", "html", default: "pretty"',
    );
    expect(opt('vm', '--tcg')).toContain('choices: "single", "multi"');
    expect(opt('list', '--format')).toContain('choices: "text", "json", default: "text"');
    for (const { path, cmd } of commands) {
      const color = cmd.options.find((o) => o.long === '--color');
      expect(color && described(cmd, color), path).toContain('choices: "auto", "always", "never", default: "auto"');
    }
  });

  it('every time option takes the one syntax and says so', () => {
    const timeOpts = commands.flatMap(({ path, cmd }) =>
      cmd.options.filter((o) => /timeout|duration/.test(o.long ?? '')).map((o) => ({ path, o, cmd })),
    );
    expect(timeOpts.map((t) => `${t.path} ${t.o.long}`).sort()).toEqual(
      [
        'explore --duration',
        'explore --timeout',
        'kernel bisect --timeout',
        'kernel selftest --timeout',
        'run --duration',
        'run --scenario-timeout',
        'vm --timeout',
      ].sort(),
    );
    for (const { path, o, cmd } of timeOpts) {
      expect(o.flags, path).toMatch(/<time>$/);
      expect(described(cmd, o), path).toContain('e.g. 500ms, 3s, 20m, 1h; a bare number is seconds');
    }
  });
});
