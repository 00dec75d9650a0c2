// SPDX-License-Identifier: GPL-2.0-only
// Random programs over the world's lifecycle, biased toward the orders that
// found the bugs of this area: create, warm the dcache (stat, open), hold
// fds and dirfds, remove, touch again, create the same name again, touch
// again. The generator runs its own copy of the model on predicted results
// (the first each rule allows), so it knows what exists and what it holds.
import { makeAct, type Act, type OpenHow } from './actions.js';
import { Model } from './model.js';
import { raceAction } from './race.js';
import { weighted } from './rng.js';
import type { Outcome } from '../repro/types.js';
import type { Action, CallAction, Program, RaceAction, Rng } from './types.js';
import {
  allScopes,
  allSlots,
  controlFile,
  createLine,
  eprobeBase,
  eventDir,
  eventName,
  groupDir,
  instanceName,
  removeLine,
  slotKey,
  slotKind,
  type Scope,
  type Slot,
  type World,
} from './world.js';

/** Files opened read-write (a write through them is meaningful); the rest read-only. */
const WRITABLE = ['enable', 'filter', 'trigger'];
const WRITES: Record<string, string[]> = {
  enable: ['0', '1'],
  filter: ['common_pid != 0', '0'],
  trigger: ['traceoff', '!traceoff', 'stacktrace'],
};

interface Held {
  index: number;
  kind: 'file' | 'dir' | 'path';
  slot: Slot;
  scope: Scope;
  /** Event dir or group dir (dirs); the file (files). */
  what: string;
}

/** A program under construction: actions, and the model's view of them. */
export class Builder {
  readonly actions: Action[] = [];
  readonly model: Model;
  readonly act: Act;
  readonly held: Held[] = [];
  private readonly control = new Map<string, number>();
  private cwdInside = false;

  constructor(
    readonly w: World,
    readonly rng: Rng,
  ) {
    this.model = new Model(w);
    this.act = makeAct(w.flags);
  }

  /** Appends a call and moves the model on by the result it predicts. */
  push(a: CallAction): number {
    const i = this.actions.length;
    this.actions.push(a);
    this.model.apply(i, a, predict(this.model, a, i));
    return i;
  }

  pushRace(a: RaceAction, key: string, slot: Slot): void {
    this.actions.push(a);
    this.model.raced(key, slotKind(this.w, slot));
  }

  exists(s: Slot): boolean {
    return !!this.model.events.get(slotKey(s))?.exists;
  }
  liveScopes(): Scope[] {
    return allScopes(this.w).filter((s) => !s || this.model.instances.get(s)?.exists);
  }

  controlFd(s: Slot): number {
    const file = controlFile(slotKind(this.w, s));
    let i = this.control.get(file);
    if (i === undefined) {
      i = this.push(this.act.open(file, 'control'));
      this.control.set(file, i);
    }
    return i;
  }

  create(s: Slot): void {
    if (slotKind(this.w, s) === 'eprobe' && !this.exists(eprobeBase(s)) && this.rng.chance(0.8))
      this.create(eprobeBase(s));
    this.push(this.act.write(this.controlFd(s), createLine(this.w, s)));
  }

  remove(s: Slot): void {
    const ev = this.model.events.get(slotKey(s));
    // Usually disable first (the removal then goes); sometimes try it enabled (EBUSY expected).
    if (ev && this.rng.chance(0.6)) for (const sc of [...ev.enabled]) this.setEnable(s, sc, '0');
    this.push(this.act.write(this.controlFd(s), removeLine(s)));
  }

  setEnable(s: Slot, scope: Scope, v: '0' | '1'): void {
    const fd = this.push(this.act.open(`${eventDir(scope, s)}/enable`, 'wo'));
    this.push(this.act.write(fd, v));
    this.push(this.act.close(fd));
  }

  /** stat, access, open+read+close of the event's files: dentries in the dcache (event-files.ts warm). */
  warm(s: Slot, scope: Scope): void {
    const dir = eventDir(scope, s);
    this.push(this.act.stat(dir));
    for (const f of this.w.files) {
      if (this.rng.chance(0.5)) this.push(this.act.stat(`${dir}/${f}`));
      if (this.rng.chance(0.3)) this.push(this.act.access(`${dir}/${f}`));
      if (this.rng.chance(0.5)) {
        const fd = this.push(this.act.open(`${dir}/${f}`, 'ro'));
        this.push(this.act.pread(fd));
        this.push(this.act.close(fd));
      }
    }
  }

  holdFile(s: Slot, scope: Scope): void {
    // enable is the file of CVE-2023-52879 and mutants 03 and 07: held more often.
    const f = this.rng.chance(0.4) ? 'enable' : this.rng.pick(this.w.files);
    const how: OpenHow = WRITABLE.includes(f) ? this.rng.pick(['rw', 'rw', 'ro', 'wo'] as const) : 'ro';
    const index = this.push(this.act.open(`${eventDir(scope, s)}/${f}`, how));
    this.held.push({ index, kind: 'file', slot: s, scope, what: f });
  }

  holdDir(s: Slot, scope: Scope): void {
    const group = this.rng.chance(0.4);
    const how: OpenHow = this.rng.chance(0.5) ? 'dir' : 'path';
    const index = this.push(this.act.open(group ? groupDir(scope, s.g) : eventDir(scope, s), how));
    this.held.push({ index, kind: how === 'dir' ? 'dir' : 'path', slot: s, scope, what: group ? 'group' : 'event' });
  }

  /** Something through a held fd: read/write a file, openat/fstatat/getdents a dir. */
  touchHeld(): void {
    const h = this.rng.pick(this.held);
    if (h.kind === 'file') {
      if (WRITABLE.includes(h.what) && this.rng.chance(0.5))
        this.push(this.act.write(h.index, this.rng.pick(WRITES[h.what]!)));
      else this.push(this.act.pread(h.index));
      return;
    }
    const rel = (h.what === 'group' ? `${eventName(h.slot.e)}/` : '') + this.rng.pick(this.w.files);
    const r = this.rng.int(h.kind === 'dir' ? 5 : 3);
    if (r === 0) this.push(this.act.fstatat(h.index, rel));
    else if (r === 1) {
      const fd = this.push(this.act.openat(h.index, rel, 'ro'));
      this.push(this.act.close(fd));
    } else if (r === 2) {
      this.push(this.act.fchdir(h.index));
      this.cwdInside = true;
    } else if (r === 3) {
      this.push(this.act.rewind(h.index));
      this.push(this.act.getdents(h.index));
    } else this.push(this.act.getdents(h.index));
  }

  /** A lookup by path of one of the slot's paths (often one that was just removed). */
  touchPath(s: Slot, scope: Scope): void {
    const dir = eventDir(scope, s);
    const p = this.rng.pick([dir, groupDir(scope, s.g), ...this.w.files.map((f) => `${dir}/${f}`)]);
    const r = this.rng.int(3);
    if (r === 0) this.push(this.act.stat(p));
    else if (r === 1) this.push(this.act.access(p));
    else {
      const fd = this.push(this.act.open(p, 'ro'));
      this.push(this.act.close(fd));
    }
  }

  /** chdir into an event dir (or through a held dirfd) and relative lookups from there. */
  cwdMoves(s: Slot, scope: Scope): void {
    const dirs = this.held.filter((h) => h.kind !== 'file');
    if (dirs.length && this.rng.chance(0.3)) this.push(this.act.fchdir(this.rng.pick(dirs).index));
    else this.push(this.act.chdir(eventDir(scope, s)));
    this.cwdInside = true;
  }

  relative(): void {
    if (!this.cwdInside) return;
    const rel = this.rng.pick([...this.w.files, ...this.w.files.map((f) => `../${eventName(1)}/${f}`), '.']);
    const r = this.rng.int(4);
    if (r === 0) this.push(this.act.stat(rel));
    else if (r === 1) {
      const fd = this.push(this.act.open(rel, 'ro'));
      this.push(this.act.close(fd));
    } else if (r === 2) this.push(this.act.getcwd());
    else this.push(this.act.chdir(this.rng.pick(['..', '{root}'])));
  }

  close(): void {
    const k = this.rng.int(this.held.length);
    const [h] = this.held.splice(k, 1);
    this.push(this.act.close(h!.index));
  }

  instance(): void {
    const name = instanceName(1 + this.rng.int(this.w.instances));
    const exists = !!this.model.instances.get(name)?.exists;
    this.push(
      exists && this.rng.chance(0.7)
        ? this.act.rmdir(`{root}/instances/${name}`)
        : this.act.mkdir(`{root}/instances/${name}`),
    );
  }

  race(): void {
    const absent = allSlots(this.w).filter(
      (s) => !this.exists(s) && ['uprobe', 'kprobe'].includes(slotKind(this.w, s)),
    );
    if (!absent.length) return;
    const slot = this.rng.pick(absent);
    const groupStays = allSlots(this.w).some((o) => o.g === slot.g && o.e !== slot.e && this.exists(o));
    const scopes = this.liveScopes();
    this.pushRace(raceAction(this.w, this.rng, { slot, scopes, groupStays }), slotKey(slot), slot);
  }

  program(): Program {
    return { actions: this.actions };
  }
}

/** What a correct kernel would give, for the generator's own bookkeeping (never judged). */
export function predict(m: Model, a: CallAction, i: number): Outcome {
  const allowed = m.expect(a);
  const code = 'codes' in allowed ? allowed.codes[0]! : 'OK';
  if (code !== 'OK') return { err: code };
  switch (a.call) {
    case 'getdents64':
      return { ok: 'entries', names: ['.', '..'] };
    case 'read':
    case 'pread':
      return { ok: 'bytes', length: 0, text: '' };
    case 'stat':
    case 'lstat':
    case 'fstatat':
      return { ok: 'stat', mode: 0, uid: 0, gid: 0 };
    case 'getcwd':
      return { ok: 'string' };
    default:
      return { ok: 'number', value: 1000 + i };
  }
}

export interface GenerateOptions {
  minActions: number;
  maxActions: number;
  /** The chance a program has a race action (when the world allows races). */
  raceChance: number;
}
export const GENERATE_DEFAULTS: GenerateOptions = { minActions: 5, maxActions: 60, raceChance: 0.25 };

type Move =
  | 'create'
  | 'remove'
  | 'warm'
  | 'holdFile'
  | 'holdDir'
  | 'touchHeld'
  | 'touchPath'
  | 'enable'
  | 'cwd'
  | 'relative'
  | 'close'
  | 'instance'
  | 'lifecycle';

const MOVES: Record<Move, (b: Builder, s: Slot, scope: Scope) => void> = {
  lifecycle: (b, s, scope) => lifecycle(b, s, scope),
  create: (b, s) => b.create(s),
  remove: (b, s) => b.remove(s),
  warm: (b, s, scope) => b.warm(s, scope),
  holdFile: (b, s, scope) => b.holdFile(s, scope),
  holdDir: (b, s, scope) => b.holdDir(s, scope),
  touchHeld: (b) => b.touchHeld(),
  touchPath: (b, s, scope) => b.touchPath(s, scope),
  enable: (b, s, scope) => b.setEnable(s, scope, b.rng.pick(['0', '1'] as const)),
  cwd: (b, s, scope) => b.cwdMoves(s, scope),
  relative: (b) => b.relative(),
  close: (b) => b.close(),
  instance: (b) => b.instance(),
};

/** A random program; well-formed by construction (validate.ts checks it in the tests). */
export function generate(w: World, rng: Rng, opts: GenerateOptions = GENERATE_DEFAULTS): Program {
  const b = new Builder(w, rng);
  const target = opts.minActions + rng.int(opts.maxActions - opts.minActions + 1);
  const wantRace = w.races && rng.chance(opts.raceChance);
  const slots = allSlots(w);
  let raced = false;
  while (b.actions.length < target) {
    const s = rng.pick(slots);
    const scope = rng.pick(b.liveScopes());
    const present = b.exists(s);
    const move = weighted<Move>(rng, {
      lifecycle: 3,
      create: present ? 0.3 : 3,
      remove: present ? 2 : 0.3,
      warm: present ? 2 : 0.5,
      holdFile: present ? 2 : 0.5,
      holdDir: present ? 1.5 : 0.3,
      touchHeld: b.held.length ? 4 : 0,
      touchPath: 2,
      enable: present ? 1 : 0,
      cwd: present ? 0.5 : 0.1,
      relative: 1,
      close: b.held.length ? 0.7 : 0,
      instance: w.instances ? 0.6 : 0,
    });
    MOVES[move](b, s, scope);
    if (wantRace && !raced && b.actions.length > target / 2) {
      b.race();
      raced = true;
    }
  }
  // A lifecycle step may run past the bound: a prefix keeps every fd reference valid.
  return { actions: b.actions.slice(0, opts.maxActions) };
}

/** The order that found this area's bugs, with random holds and touches between. */
function lifecycle(b: Builder, s: Slot, scope: Scope): void {
  const rng = b.rng;
  if (!b.exists(s)) b.create(s);
  b.warm(s, scope);
  for (let k = rng.int(3); k >= 0; k--) rng.chance(0.5) ? b.holdFile(s, scope) : b.holdDir(s, scope);
  if (rng.chance(0.4)) b.setEnable(s, scope, '1');
  if (rng.chance(0.2)) b.cwdMoves(s, scope);
  b.remove(s);
  for (let k = rng.int(3); k >= 0; k--) b.held.length && rng.chance(0.6) ? b.touchHeld() : b.touchPath(s, scope);
  if (rng.chance(0.3)) b.relative();
  if (rng.chance(0.6)) {
    b.create(s);
    for (let k = rng.int(3); k >= 0; k--) b.held.length && rng.chance(0.6) ? b.touchHeld() : b.touchPath(s, scope);
  }
}
