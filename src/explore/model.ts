// SPDX-License-Identifier: GPL-2.0-only
// The reference model of a program's sequential calls: which of its events,
// groups and instances exist (and which generation of each name), where each
// event is enabled, what every held fd and the cwd point at, and, per call,
// the results a correct kernel may give. Rules come from kernel-facts "What a
// correct kernel does" and the scenarios' errno tables (named beside each
// rule); where kernels legitimately differ the documented set is allowed, and
// where a rule is not known the model allows more, never less: a model that
// flags a correct kernel is worse than a loose one. The next state follows
// the observed result once it was allowed (a removal that gave EBUSY leaves
// the event), so a loose rule never derails what follows.
import type { Arg, Outcome } from '../repro/types.js';
import type { CallAction, ModelViolation } from './types.js';
import { child, isDirNode, nodeLabel, parentStamp, ROOT_REF, splitPath, type Node, type Ref } from './paths.js';
import { controlTakes, definitionKind, type Scope, type World, type WorldKind } from './world.js';

/** The results a call may give ('OK' or errno names), why, and a check of a success's content. */
export type Allowed =
  { codes: readonly string[]; why: string; check?: (o: Outcome) => string | undefined } | { any: string };

interface EventState {
  kind: WorldKind;
  exists: boolean;
  /** Creations so far: a held fd of generation g is stale once gen moved on. */
  gen: number;
  enabled: Set<Scope>;
  triggers: Map<Scope, Set<string>>;
  /** An eprobe's base event (group/event). */
  base?: string;
}

type Resolved = Ref & { uncertain: boolean; dot: boolean };

interface FdState {
  ref: Ref;
  flags: number;
  /** The path it was opened by (for evidence). */
  label: string;
}

/** Kinds whose enable is known to work on every kernel the project runs (the scenarios enable them). */
const ENABLE_KNOWN: readonly WorldKind[] = ['uprobe', 'kprobe'];
/** Files that still read through an fd kept across removal on correct kernels (kernel-facts: id keeps its value). */
const READ_AFTER_REMOVAL_MAY_WORK = new Set(['id', 'hist']);
/** O_ACCMODE: the same on every Linux architecture. */
const ACCMODE = 3;

function codesOf(o: Outcome): string {
  return 'err' in o ? o.err : 'OK';
}
function describeOutcome(o: Outcome): string {
  if ('err' in o) return o.err;
  if (o.ok === 'entries') return `success (${o.names.join(' ')})`;
  if (o.ok === 'bytes') return `success (${JSON.stringify(o.text.slice(0, 40))})`;
  return 'success';
}
const ok = (why: string, check?: (o: Outcome) => string | undefined): Allowed => ({ codes: ['OK'], why, check });
const err = (why: string, ...codes: string[]): Allowed => ({ codes, why });

export class Model {
  readonly events = new Map<string, EventState>();
  readonly groups = new Map<string, { exists: boolean; gen: number }>();
  readonly instances = new Map<string, { exists: boolean; gen: number }>();
  readonly fds = new Map<number, FdState | { control: string }>();
  /** null: outside tracefs (relative paths are not the model's). */
  cwd: Ref | null = null;

  constructor(readonly world: World) {}

  // ---- the world's current stamps ----

  /** The node's generation stamp now; null when it does not exist. 'u' marks an unknown file. */
  stamp(n: Node): string | null {
    switch (n.t) {
      case 'root': {
        if (!n.scope) return 'T';
        const i = this.instances.get(n.scope);
        return i?.exists ? `T|in|I${i.gen}` : null;
      }
      case 'instances':
        return 'T|in';
      case 'control':
        return 'T|c';
      case 'events': {
        const r = this.stamp({ t: 'root', scope: n.scope });
        return r && `${r}|ev`;
      }
      case 'group': {
        const e = this.stamp({ t: 'events', scope: n.scope });
        const g = this.groups.get(n.group);
        return e && g?.exists ? `${e}|G${g.gen}` : null;
      }
      case 'event': {
        const g = this.stamp({ t: 'group', scope: n.scope, group: n.group });
        const ev = this.events.get(`${n.group}/${n.event}`);
        return g && ev?.exists ? `${g}|E${ev.gen}` : null;
      }
      case 'file': {
        const e = this.stamp({ t: 'event', scope: n.scope, group: n.group, event: n.event });
        return e && `${e}|${this.world.files.includes(n.file) ? 'f' : 'u'}`;
      }
      case 'other':
        return null;
    }
  }

  /** Where `parts` lead from `base`: nothing is reached through a stale dir; '..' from one is not pinned down. */
  resolve(base: Ref, parts: string[]): { node: Node; stamp: string | null; uncertain: boolean } {
    let node = base.node;
    let stamp = base.stamp;
    let uncertain = stamp === null;
    let valid = stamp !== null && this.stamp(node) === stamp;
    for (const part of parts) {
      if (part === '.') continue;
      if (part === '..') {
        node = child(node, '..');
        if (valid) stamp = this.stamp(node);
        else {
          // The stale dir's parent dentry: the kernel walks d_parent; which generation it meets is not documented.
          stamp = parentStamp(stamp);
          uncertain = true;
        }
        valid = stamp !== null && this.stamp(node) === stamp;
        continue;
      }
      if (!valid) return { node: child(node, part), stamp: null, uncertain };
      node = child(node, part);
      if (node.t === 'other') return { node, stamp: null, uncertain: true };
      stamp = this.stamp(node);
      if (stamp === null) return { node, stamp, uncertain };
      if (stamp.endsWith('|u')) uncertain = true;
    }
    return { node, stamp, uncertain };
  }

  private pathRef(p: string): Resolved | null {
    const sp = splitPath(p);
    if (!sp) return null;
    if (sp.absolute) return this.resolveRef(ROOT_REF, sp.parts);
    return this.cwd ? this.resolveRef(this.cwd, sp.parts) : null;
  }
  private resolveRef(base: Ref, parts: string[]): Resolved {
    const r = this.resolve(base, parts);
    return { ...r, dot: parts.every((x) => x === '.') };
  }

  // ---- judging ----

  /** What a call may give here. */
  expect(a: CallAction): Allowed {
    const args = a.args;
    switch (a.call) {
      case 'open':
        return this.expectOpen(this.pathRef(str(args[0])), num(args[1]));
      case 'openat': {
        const base = this.dirFd(args[0]);
        return this.expectOpen(base && this.resolveRef(base, splitPath(str(args[1]))?.parts ?? ['..']), num(args[2]));
      }
      case 'stat':
      case 'lstat':
      case 'access':
        return this.expectLookup(this.pathRef(str(args[0])));
      case 'fstatat': {
        const base = this.dirFd(args[0]);
        return this.expectLookup(base && this.resolveRef(base, splitPath(str(args[1]))?.parts ?? ['..']));
      }
      case 'chdir':
        return this.expectLookup(this.pathRef(str(args[0])), true);
      case 'fchdir': {
        const f = this.fileFd(args[0]);
        if (!f || !isDirNode(f.ref.node)) return { any: 'fchdir of an fd outside the world' };
        // fchdir(2) checks only search permission on the held inode: a removed dir may still be entered.
        return this.live(f.ref)
          ? ok('fchdir of a live dir')
          : err('fchdir of a removed dir (undocumented)', 'OK', 'ENOENT');
      }
      case 'getcwd':
        if (!this.cwd) return { any: 'cwd outside tracefs' };
        // kernel-facts: getcwd gives ENOENT inside a removed dir; cwd-inside-removed only notes it (kernels differ).
        return this.live(this.cwd)
          ? ok('getcwd inside a live dir')
          : err('getcwd inside a removed dir', 'ENOENT', 'OK');
      case 'close':
        return ok('close of a held fd');
      case 'lseek':
        return { any: 'lseek is not judged' };
      case 'read':
      case 'pread':
        return this.expectRead(args[0]);
      case 'write':
      case 'pwrite':
        return this.expectWrite(args[0], str(args[1]));
      case 'getdents64':
        return this.expectGetdents(args[0]);
      case 'mkdir':
        return this.expectMkdir(str(args[0]));
      case 'rmdir':
        return this.expectRmdir(str(args[0]));
      default:
        return { any: `${a.call} is not modelled` };
    }
  }

  /** Judges a call's outcome, then moves the state on by it. */
  step(i: number, a: CallAction, o: Outcome): ModelViolation[] {
    const allowed = this.expect(a);
    const out: ModelViolation[] = [];
    if ('codes' in allowed) {
      const got = codesOf(o);
      const label = this.label(a);
      if (!allowed.codes.includes(got)) {
        out.push({
          action: i,
          op: opLabel(a),
          path: label,
          expected: `${allowed.codes.join(' or ')} (${allowed.why})`,
          got: describeOutcome(o),
          allowed: allowed.codes,
        });
      } else if (got === 'OK' && allowed.check) {
        const bad = allowed.check(o);
        if (bad) out.push({ action: i, op: opLabel(a), path: label, expected: bad, got: describeOutcome(o) });
      }
    }
    this.apply(i, a, o);
    return out;
  }

  private live(r: Ref): boolean {
    return r.stamp !== null && this.stamp(r.node) === r.stamp;
  }

  private expectLookup(r: Resolved | null, wantDir = false): Allowed {
    if (!r || r.node.t === 'other') return { any: 'a path outside the world' };
    // cwd-inside-removed: stat(".") of a removed cwd works (the inode is pinned).
    if (r.dot) return ok('the held dir itself');
    if (wantDir && !isDirNode(r.node)) return { any: 'chdir into a file' };
    const exists = r.stamp !== null;
    if (r.uncertain)
      return err("not pinned down (a stale dir's parent, or a file this kernel may lack)", 'OK', 'ENOENT');
    // removed-files-enoent, held-dirfd-enoent, cwd-inside-removed: ENOENT, also after the name is created again.
    return exists
      ? ok(`${nodeLabel(r.node)} exists`)
      : err(`${nodeLabel(r.node)} is gone (or reached through a stale dir)`, 'ENOENT');
  }

  private expectOpen(r: Resolved | null, flags: number): Allowed {
    if (
      r?.node.t === 'file' &&
      (flags & ACCMODE) !== this.world.flags.O_RDONLY &&
      !['enable', 'filter', 'trigger'].includes(r.node.file)
    )
      return { any: 'a write-mode open of a read-only file' };
    if (r?.node.t === 'control') return ok('a control file');
    // A mutated flag: O_DIRECTORY on a file, a write-mode open of a dir.
    const f = this.world.flags;
    const wrongType =
      r && r.node.t !== 'other' && !r.dot
        ? isDirNode(r.node)
          ? (flags & ACCMODE) !== f.O_RDONLY && !(flags & f.O_PATH) && 'EISDIR'
          : flags & f.O_DIRECTORY && 'ENOTDIR'
        : false;
    if (wrongType) {
      if (r!.uncertain) return err('a mistyped open of a path not pinned down', wrongType, 'ENOENT');
      return r!.stamp !== null
        ? err(`a mistyped open of ${nodeLabel(r!.node)}`, wrongType)
        : err('a mistyped open of a missing path', 'ENOENT');
    }
    return this.expectLookup(r);
  }

  private expectRead(a: Arg | undefined): Allowed {
    const f = this.fileFd(a);
    if (!f) return { any: 'read of an fd outside the world' };
    if (f.ref.node.t !== 'file') return { any: 'read of a dir fd' };
    if ((f.flags & ACCMODE) === this.world.flags.O_WRONLY || f.flags & this.world.flags.O_PATH)
      return err('not open for reading', 'EBADF');
    const file = f.ref.node.file;
    const st = this.staleness(f.ref);
    if (st === 'unknown') return { any: "the fd's generation is not known" };
    if (st === 'stale') {
      // fd-across-removal: ENODEV for enable, filter, format, trigger; id still reads the old value.
      if (READ_AFTER_REMOVAL_MAY_WORK.has(file))
        return err(`${file} through an fd kept across removal`, 'ENODEV', 'OK');
      return err(`${file} through an fd kept across removal (fd-across-removal)`, 'ENODEV');
    }
    if (st === 'scope-gone') return { any: "the fd's instance was removed" };
    if (file !== 'enable') return ok(`${file} of a live event`);
    const n = f.ref.node;
    const ev = this.events.get(`${n.group}/${n.event}`)!;
    // Soft modes ("0*") and kinds never enabled by the scenarios: content not judged.
    if (!ENABLE_KNOWN.includes(ev.kind) || ev.triggers.get(n.scope)?.size) return ok('enable of a live event');
    const want = ev.enabled.has(n.scope) ? '1' : '0';
    return ok('enable of a live event', (o) =>
      'ok' in o && o.ok === 'bytes' && o.text.length > 0 && o.text[0] !== want ? `reads ${want}` : undefined,
    );
  }

  /** live, stale (its event's generation moved on), scope-gone (its instance went), unknown. */
  private staleness(r: Ref): 'live' | 'stale' | 'scope-gone' | 'unknown' {
    if (r.stamp === null) return 'unknown';
    const now = this.stamp(r.node);
    if (now === r.stamp) return 'live';
    const n = r.node;
    if (n.t === 'file' && n.scope) {
      const top = this.stamp({ ...n, scope: '' });
      const heldTop = r.stamp.replace(/^T\|in\|I\d+/, 'T');
      if (top === heldTop) return 'scope-gone';
    }
    return 'stale';
  }

  private expectWrite(a: Arg | undefined, data: string): Allowed {
    const fd = a && 'fd' in a ? this.fds.get(a.fd) : undefined;
    if (!fd) return { any: 'write to an fd outside the world' };
    if ('control' in fd) return this.expectControl(fd.control, data);
    if (fd.ref.node.t !== 'file') return { any: 'write to a dir fd' };
    if ((fd.flags & ACCMODE) === this.world.flags.O_RDONLY || fd.flags & this.world.flags.O_PATH)
      return err('not open for writing', 'EBADF');
    const n = fd.ref.node;
    const st = this.staleness(fd.ref);
    if (st === 'unknown' || st === 'scope-gone') return { any: "the fd's event or instance is not known" };
    // fd-across-removal, recreate-fresh, instance-files: a write through a kept fd gives ENODEV.
    if (st === 'stale') return err(`write to ${n.file} through an fd kept across removal`, 'ENODEV');
    const ev = this.events.get(`${n.group}/${n.event}`)!;
    switch (n.file) {
      case 'enable':
        if (!/^[01]\n?$/.test(data)) return { any: 'an enable value other than 0 or 1' };
        return ENABLE_KNOWN.includes(ev.kind)
          ? ok('enable of a live event')
          : { any: `enable of a ${ev.kind} event is not pinned down` };
      case 'filter':
        return err("a filter of a live event (the syntax is the kernel's)", 'OK', 'EINVAL');
      case 'trigger': {
        const name = triggerName(data);
        if (data.startsWith('!')) return err('removing a trigger', 'OK', 'ENOENT');
        // Adding a trigger that is there gives EEXIST; some triggers need options this kernel lacks.
        return ev.triggers.get(n.scope)?.has(name)
          ? err('that trigger is set', 'EEXIST', 'OK')
          : err('a new trigger', 'OK', 'EINVAL', 'ENOENT');
      }
      default:
        return { any: `write to ${n.file}` };
    }
  }

  private expectControl(file: string, line: string): Allowed {
    const c = parseControl(line);
    if (!c) return { any: 'not a definition of the world' };
    const ev = this.events.get(c.key);
    if (c.op === 'remove') {
      if (!ev?.exists) return err('removal of an event that does not exist', 'ENOENT');
      // kprobe_events and uprobe_events look only among their own kind (dyn_event_release with their ops).
      if (!controlTakes(file, ev.kind)) return err(`removal of a ${ev.kind} event through ${file}`, 'ENOENT');
      const scopes = [...ev.enabled].filter((s) => !s || this.instances.get(s)?.exists);
      // enabled-removal-ebusy, instance-files: EBUSY while enabled, top level or in an instance.
      if (scopes.length)
        return err(`removal while enabled in ${scopes.map((s) => s || 'the top level').join(', ')}`, 'EBUSY');
      // A trigger, or an eprobe on the event, registers it: EBUSY is what kernels give; not in the scenarios' tables.
      const trig = [...ev.triggers.values()].some((t) => t.size > 0);
      const hasEprobe = [...this.events.values()].some((e) => e.exists && e.base === c.key);
      if (trig || hasEprobe) return err('removal with a trigger or an eprobe on it', 'OK', 'EBUSY');
      // fd-across-removal: an open fd does NOT block removal.
      return ok('removal of a disabled event (held fds do not block it)');
    }
    if (ev?.exists) return err('creating a duplicate', 'EEXIST', 'EBUSY');
    if (c.base !== undefined) {
      const base = this.events.get(c.base);
      // Debian 6.12.118 and 7.3.4 refuse an eprobe on a dynamic event (a uprobe or kprobe base) with ENODEV,
      // while one on sched.sched_switch works (measured 2026-12-05 in guests: explore seed 7, and scripts/probe-answers.mjs).
      return base?.exists
        ? err(
            'an eprobe on an existing event (ENODEV: kernels that refuse eprobes on dynamic events)',
            'OK',
            'EINVAL',
            'ENODEV',
          )
        : err('an eprobe on a missing event', 'ENOENT', 'EINVAL', 'ENODEV');
    }
    return ok('creating an event that does not exist');
  }

  private expectGetdents(a: Arg | undefined): Allowed {
    const f = this.fileFd(a);
    if (!f || !isDirNode(f.ref.node)) return { any: 'getdents64 of a non-dir fd' };
    if (f.flags & this.world.flags.O_PATH) return err('getdents64 of an O_PATH fd', 'EBADF');
    const st = this.staleness(f.ref);
    if (st === 'unknown') return { any: "the dir's generation is not known" };
    if (st !== 'live') {
      // held-dirfd-enoent: only . and .. (EINVAL or ENOENT accepted).
      return {
        codes: ['OK', 'EINVAL', 'ENOENT'],
        why: 'getdents64 of a removed dir',
        check: (o) =>
          'ok' in o && o.ok === 'entries' && o.names.some((x) => x !== '.' && x !== '..') ? 'only . and ..' : undefined,
      };
    }
    const n = f.ref.node;
    return ok('getdents64 of a live dir', (o) => {
      if (!('ok' in o) || o.ok !== 'entries') return undefined;
      const gone = o.names.filter((x) => {
        const c = child(n, x);
        return (
          c.t !== 'other' && c.t !== 'file' && c.t !== 'control' && x !== '..' && x !== '.' && this.stamp(c) === null
        );
      });
      return gone.length ? `no removed entry (lists ${gone.join(' ')})` : undefined;
    });
  }

  private expectMkdir(p: string): Allowed {
    const r = this.pathRef(p);
    if (!r || r.node.t !== 'root' || !r.node.scope) return { any: 'mkdir outside instances/' };
    return r.stamp ? err('the instance exists', 'EEXIST') : ok('a new instance');
  }

  private expectRmdir(p: string): Allowed {
    const r = this.pathRef(p);
    if (!r || r.node.t !== 'root' || !r.node.scope) return { any: 'rmdir outside instances/' };
    if (!r.stamp) return err('the instance does not exist', 'ENOENT');
    const scope = r.node.scope;
    // Fds of removed events count too: opening enable took a reference on the instance (tracing_open_file_tr ->
    // trace_array_get) that only its close drops, so the instance stays busy (seen on 7.3.4 by explore, seed 8).
    const held = [...this.fds.values()].filter((f): f is FdState => 'ref' in f && inScope(f.ref.node, scope));
    // instance-files: rmdir while one of its files (enable) is open gives EBUSY.
    if (
      held.some((f) => f.ref.node.t === 'file' && f.ref.node.file === 'enable' && !(f.flags & this.world.flags.O_PATH))
    )
      return err('an enable fd of the instance is open (its event may be gone)', 'EBUSY');
    const cwdIn = this.cwd !== null && inScope(this.cwd.node, scope);
    const enabled = [...this.events.values()].some((e) => e.enabled.has(scope) || e.triggers.get(scope)?.size);
    if (held.length || cwdIn || enabled)
      return err('other fds, the cwd or enabled events in the instance (not in the tables)', 'OK', 'EBUSY');
    return ok('rmdir of an idle instance');
  }

  private fileFd(a: Arg | undefined): FdState | undefined {
    const f = a && 'fd' in a ? this.fds.get(a.fd) : undefined;
    return f && 'ref' in f ? f : undefined;
  }
  private dirFd(a: Arg | undefined): Ref | null {
    const f = this.fileFd(a);
    return f && isDirNode(f.ref.node) ? f.ref : null;
  }

  // ---- the next state ----

  apply(i: number, a: CallAction, o: Outcome): void {
    const success = !('err' in o);
    const args = a.args;
    switch (a.call) {
      case 'open':
      case 'openat': {
        if (!success) return;
        const p = str(args[a.call === 'open' ? 0 : 1]);
        const flags = num(args[a.call === 'open' ? 1 : 2]);
        let r: Ref | null;
        if (a.call === 'open') r = this.pathRef(p);
        else {
          const base = this.dirFd(args[0]);
          r = base && this.resolveRef(base, splitPath(p)?.parts ?? ['..']);
        }
        // A control file opened for writing: its writes are definitions (read-only: EBADF, not judged).
        if (r?.node.t === 'control' && (flags & ACCMODE) !== this.world.flags.O_RDONLY)
          this.fds.set(i, { control: r.node.file });
        // A success where the model said ENOENT (a violation) points at a ghost: its generation is unknown.
        else this.fds.set(i, { ref: { node: r?.node ?? { t: 'other' }, stamp: r?.stamp ?? null }, flags, label: p });
        return;
      }
      case 'close':
        if (args[0] && 'fd' in args[0]) this.fds.delete(args[0].fd);
        return;
      case 'chdir':
        if (success) {
          const r = this.pathRef(str(args[0]));
          this.cwd = r && r.node.t !== 'other' ? { node: r.node, stamp: r.stamp } : null;
        }
        return;
      case 'fchdir':
        if (success) {
          const f = this.fileFd(args[0]);
          this.cwd = f ? f.ref : null;
        }
        return;
      case 'write':
      case 'pwrite':
        if (success) this.applyWrite(args[0], str(args[1]));
        return;
      case 'mkdir':
      case 'rmdir': {
        const r = this.pathRef(str(args[0]));
        if (!success || !r || r.node.t !== 'root' || !r.node.scope) return;
        const scope = r.node.scope;
        const inst = this.instances.get(scope) ?? { exists: false, gen: 0 };
        if (a.call === 'mkdir') this.instances.set(scope, { exists: true, gen: inst.gen + 1 });
        else {
          this.instances.set(scope, { exists: false, gen: inst.gen });
          for (const e of this.events.values()) {
            e.enabled.delete(scope);
            e.triggers.delete(scope);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  private applyWrite(a: Arg | undefined, data: string): void {
    const fd = a && 'fd' in a ? this.fds.get(a.fd) : undefined;
    if (!fd) return;
    if ('control' in fd) {
      const c = parseControl(data);
      if (!c) return;
      if (c.op === 'create') this.created(c.key, definitionKind(data), c.base);
      else this.removed(c.key);
      return;
    }
    const n = fd.ref.node;
    if (n.t !== 'file' || this.staleness(fd.ref) !== 'live') return;
    const ev = this.events.get(`${n.group}/${n.event}`)!;
    if (n.file === 'enable') {
      if (data.startsWith('1')) ev.enabled.add(n.scope);
      else if (data.startsWith('0')) ev.enabled.delete(n.scope);
    } else if (n.file === 'trigger') {
      const t = ev.triggers.get(n.scope) ?? new Set<string>();
      if (data.startsWith('!')) t.delete(triggerName(data));
      else t.add(triggerName(data));
      ev.triggers.set(n.scope, t);
    }
  }

  created(key: string, kind: WorldKind, base?: string): void {
    const prev = this.events.get(key);
    this.events.set(key, {
      kind,
      exists: true,
      gen: (prev?.gen ?? 0) + 1,
      enabled: new Set(),
      triggers: new Map(),
      ...(base !== undefined ? { base } : {}),
    });
    const group = key.split('/')[0]!;
    const g = this.groups.get(group) ?? { exists: false, gen: 0 };
    if (!g.exists) this.groups.set(group, { exists: true, gen: g.gen + 1 });
  }

  removed(key: string): void {
    const ev = this.events.get(key);
    if (!ev) return;
    ev.exists = false;
    ev.enabled.clear();
    ev.triggers.clear();
    const group = key.split('/')[0]!;
    const anyLeft = [...this.events.entries()].some(([k, e]) => e.exists && k.startsWith(`${group}/`));
    // removed-files-enoent: the group dir goes with its last event.
    if (!anyLeft) this.groups.set(group, { exists: false, gen: this.groups.get(group)?.gen ?? 0 });
  }

  /** A race on `key` ran: the engine created and removed it (leaving it absent), so every held fd on it is stale. */
  raced(key: string, kind: WorldKind): void {
    this.created(key, kind);
    this.removed(key);
  }

  /** The op and path a violation names. */
  label(a: CallAction): string {
    const a0 = a.args[0];
    if (a0 && 'fd' in a0) {
      const f = this.fds.get(a0.fd);
      const base = !f ? `<fd of action ${a0.fd}>` : 'control' in f ? `{root}/${f.control}` : `<fd ${f.label}>`;
      const rel =
        a.args[1] && 't' in a.args[1] && (a.call === 'openat' || a.call === 'fstatat') ? `/${a.args[1].t}` : '';
      return base + rel;
    }
    return a0 && 't' in a0 ? (a0.t.startsWith('{root}') ? a0.t : `<cwd>/${a0.t}`) : '';
  }
}

function inScope(n: Node, scope: Scope): boolean {
  return 'scope' in n && n.scope === scope;
}

/** A control line of the world: create or remove, of which group/event; an eprobe's base. */
export function parseControl(line: string): { op: 'create' | 'remove'; key: string; base?: string } | undefined {
  const rm = /^-:(\{id\}_g\d+\/e\d+)$/.exec(line);
  if (rm) return { op: 'remove', key: rm[1]! };
  const mk = /^([prfe]):(\{id\}_g\d+\/e\d+) (\S+)$/.exec(line);
  if (!mk) return undefined;
  if (mk[1] === 'e') {
    const b = /^(\{id\}_g\d+)\.(e\d+)$/.exec(mk[3]!);
    return { op: 'create', key: mk[2]!, base: b ? `${b[1]}/${b[2]}` : '(not ours)' };
  }
  return { op: 'create', key: mk[2]! };
}

function triggerName(data: string): string {
  return data.replace(/^!/, '').split(/[\s:]/)[0] ?? '';
}

function str(a: Arg | undefined): string {
  return a && 't' in a ? a.t : '';
}
function num(a: Arg | undefined): number {
  return a && 'n' in a ? a.n : 0;
}

/** `write "-:{id}_g1/e1"`, `openat(O_RDONLY)`: what a violation says was done. */
export function opLabel(a: CallAction): string {
  if (a.call === 'write' || a.call === 'pwrite') return `${a.call} ${JSON.stringify(str(a.args[1]))}`;
  return a.call;
}
