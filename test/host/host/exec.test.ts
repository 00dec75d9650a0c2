// SPDX-License-Identifier: GPL-2.0-only
// runOk: a program run for the user that fails is a CommandError (exit 2, one
// message with its last stderr lines), never an execa stack. Spawns sh: this
// file belongs with the tests that run processes.
import { describe, expect, it } from 'vitest';
import { runOk } from '../../../src/host/exec.js';
import { CommandError, errorReport } from '../../../src/errors.js';

describe('runOk', () => {
  it("resolves to the program's stdout", async () => {
    expect(await runOk('sh', ['-c', 'echo out; echo err >&2'])).toBe('out');
  });

  it('a non-zero exit: CommandError naming the command, its exit and its last stderr lines', async () => {
    const e = await runOk('sh', ['-c', 'for i in $(seq 1 12); do echo line$i >&2; done; exit 3']).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(CommandError);
    const c = e as CommandError;
    expect(c.status).toBe(3);
    expect(c.command).toMatch(/^sh -c /);
    expect(c.message.split('\n')[0]).toMatch(/^sh -c .* failed \(exit 3\):$/);
    expect(c.message.split('\n').slice(1)).toEqual([
      'line3',
      'line4',
      'line5',
      'line6',
      'line7',
      'line8',
      'line9',
      'line10',
      'line11',
      'line12',
    ]);
    expect(errorReport(c).code).toBe(2);
  });

  it('a program that cannot start: CommandError without an exit status', async () => {
    const e = await runOk('/nonexistent/tfsr-no-such-program', []).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CommandError);
    expect((e as CommandError).status).toBeUndefined();
    expect((e as CommandError).message).toMatch(/^\/nonexistent\/tfsr-no-such-program failed \(.*ENOENT.*\)$/);
  });
});
