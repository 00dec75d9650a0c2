// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { Checks, SetupError } from '../../../src/scenarios/checks.js';
import { SysError } from '../../../src/native/index.js';
import { ToolFaultError } from '../../../src/tool-fault.js';

const ENOENT = new SysError('open', 2, 'ENOENT');
const ENODEV = new SysError('read', 19, 'ENODEV');

describe("Checks: the scenarios' checker", () => {
  it('passes when the kernel answers as a correct kernel does', () => {
    const e = new Checks();
    e.fails('open', '/t/enable', ENOENT, 'ENOENT');
    e.succeeds('stat', '/t/enable', { mode: 1 });
    expect(e.outcome()).toMatchObject({ status: 'PASS', checks: 2, evidence: [] });
  });

  it('fails on a ghost file: success where ENOENT was due', () => {
    const e = new Checks();
    e.fails('open(O_RDONLY)', '/t/events/g/e/enable', 5, 'ENOENT');
    expect(e.outcome()).toMatchObject({
      status: 'FAIL',
      evidence: [{ op: 'open(O_RDONLY)', path: '/t/events/g/e/enable', expected: 'ENOENT', got: 'success (5)' }],
    });
  });

  it('fails on the wrong errno, and on an unexpected failure', () => {
    const e = new Checks();
    e.fails('open', '/x', ENODEV, 'ENOENT');
    e.succeeds('stat', '/y', ENOENT);
    e.that(false, 'getdents64', '/z', 'only . and ..', 'lists enable');
    expect(e.outcome().evidence.map((x) => x.got)).toEqual(['ENODEV', 'ENOENT', 'lists enable']);
    expect(e.outcome().status).toBe('FAIL');
  });

  it('must() turns a failed setup step into SetupError', () => {
    expect(new Checks().must('create', 3)).toBe(3);
    expect(() => new Checks().must('create p:g/e x', new SysError('write', 22, 'EINVAL'))).toThrow(SetupError);
  });
});

describe("the tool's own errnos", () => {
  it('EMFILE, ENFILE, ENOMEM or EXDEV where something else was due stop the scenario as a ToolFaultError, not evidence', () => {
    for (const [code, errno] of [
      ['EMFILE', 24],
      ['ENFILE', 23],
      ['ENOMEM', 12],
      ['EXDEV', 18],
    ] as const) {
      const e = new Checks();
      const r = new SysError('open', errno, code);
      expect(() => e.fails('open', '/t/events/g/e/id', r, 'ENOENT')).toThrow(ToolFaultError);
      expect(() => e.succeeds('open', '/t/events/g/e/id', r)).toThrow(ToolFaultError);
      expect(() => e.must('open cwd', r)).toThrow(ToolFaultError);
      expect(e.evidence).toEqual([]);
    }
    let fault;
    try {
      new Checks().fails('open', '/t/events/g/e/id', new SysError('open', 24, 'EMFILE'), 'ENOENT');
    } catch (err) {
      fault = (err as ToolFaultError).fault;
    }
    expect(fault).toEqual({
      code: 'EMFILE',
      cause: 'open /t/events/g/e/id: open EMFILE',
      fix: 'raise the fd limit (ulimit -n) or lower --threads',
    });
  });

  it('is judged as usual where the check expects it', () => {
    const e = new Checks();
    expect(e.fails('open', '/x', new SysError('open', 18, 'EXDEV'), 'EXDEV')).toBe(true);
    expect(e.outcome().status).toBe('PASS');
  });
});

describe('a step that breaks mid-scenario', () => {
  it('keeps what was found before: FAIL with the evidence, the broken step quoted', () => {
    const e = new Checks();
    e.fails('stat', '/t/e/enable', 0, 'ENOENT');
    let err: unknown;
    try {
      e.must('write 0 to /t/i/e/enable', new SysError('open', 2, 'ENOENT'));
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(SetupError);
    const out = (err as SetupError).outcome();
    expect(out.status).toBe('FAIL');
    expect(out.evidence.map((x) => x.got)).toEqual(['success (0)', 'write 0 to /t/i/e/enable: open ENOENT']);
  });

  it('is UNRESOLVED when nothing had diverged yet', () => {
    const e = new Checks();
    e.succeeds('stat', '/t', { mode: 1 });
    try {
      e.must('create p:g/e x', new SysError('write', 22, 'EINVAL'));
    } catch (x) {
      expect((x as SetupError).outcome()).toMatchObject({
        status: 'UNRESOLVED',
        reason: 'create p:g/e x: write EINVAL',
        checks: 1,
      });
    }
    expect.assertions(1);
  });
});
