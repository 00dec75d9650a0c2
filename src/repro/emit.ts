// SPDX-License-Identifier: GPL-2.0-only
// Straight-line C from recorded steps: the runtime (c/runtime.c) verbatim,
// then main() with one line per step and the check of the violating step.
// Pure: the runtime text, flag values and header facts are passed in.
import type { ResolvedCheck } from './check.js';
import { describeCheck } from './check.js';
import type { Judged, Step } from './types.js';

export interface Header {
  name: string;
  title: string;
  description: string;
  references: string[];
  kernel: { release: string; version: string };
  date: string;
  file: string;
  steps: { kept: number; total: number };
  /** e.g. why the sequence was not minimised. */
  notes?: string[];
}

export interface EmitInput {
  runtime: string;
  mode: 'sequence' | 'health';
  /** 'kprobe' or 'uprobe'. */
  kind: string;
  /** The kprobe's function; undefined for a uprobe (found at run time). */
  symbol?: string;
  /** In order; in sequence mode the last one is the judged step. */
  steps: Step[];
  judged?: Judged;
  check?: ResolvedCheck;
  header: Header;
  /** O_* values of this machine (the addon's constants). */
  flags: Record<string, number>;
}

/** A C string literal: printable ASCII as is, the rest as octal escapes. */
export function cstr(s: string): string {
  let out = '"';
  for (const ch of Buffer.from(s, 'latin1')) {
    if (ch === 0x22 || ch === 0x5c) out += `\\${String.fromCharCode(ch)}`;
    else if (ch === 0x0a) out += '\\n';
    else if (ch === 0x09) out += '\\t';
    else if (ch >= 0x20 && ch < 0x7f && ch !== 0x3f) out += String.fromCharCode(ch);
    else out += `\\${ch.toString(8).padStart(3, '0')}`; // '?' too: no trigraphs
  }
  return `${out}"`;
}

/** A template as a C expression: tr_x("...") when it names the run, else a literal. */
export function ctext(t: string): string {
  return /\{(root|id|target)\}/.test(t) ? `tr_x(${cstr(t)})` : cstr(t);
}

const OPEN_BITS = ['O_APPEND', 'O_CREAT', 'O_EXCL', 'O_TRUNC', 'O_DIRECTORY', 'O_PATH', 'O_NONBLOCK', 'O_NOFOLLOW'];

/** open(2) flags by name (O_CLOEXEC is left out: the runtime adds it to every open). */
export function cflags(v: number, flags: Record<string, number>): string {
  const acc = v & 3;
  const parts = [acc === flags.O_WRONLY ? 'O_WRONLY' : acc === flags.O_RDWR ? 'O_RDWR' : 'O_RDONLY'];
  let rest = v & ~3 & ~(flags.O_CLOEXEC ?? 0);
  for (const b of OPEN_BITS) {
    const bit = flags[b];
    if (bit && (rest & bit) === bit) {
      parts.push(b);
      rest &= ~bit;
    }
  }
  if (rest) parts.push(`0x${rest.toString(16)}`);
  return parts.join(' | ');
}

function accessMode(v: number): string {
  if (v === 0) return 'F_OK';
  const parts = [
    [4, 'R_OK'],
    [2, 'W_OK'],
    [1, 'X_OK'],
  ]
    .filter(([bit]) => v & (bit as number))
    .map(([, n]) => n as string);
  return parts.join(' | ');
}

const WHENCE = ['SEEK_SET', 'SEEK_CUR', 'SEEK_END'];

/** Steps whose fd comes from a step not kept can't run: dropped (replay.ts skips them too). */
export function runnable(steps: Step[]): Step[] {
  const opened = new Set<number>();
  const out: Step[] = [];
  for (const s of steps) {
    if (s.args.some((a) => 'fd' in a && !opened.has(a.fd))) continue;
    if (s.call === 'open' || s.call === 'openat') opened.add(s.index);
    out.push(s);
  }
  return out;
}

function callExpr(s: Step, flags: Record<string, number>): string {
  const a = s.args;
  const t = (i: number) => ctext((a[i] as { t: string }).t);
  const n = (i: number, dflt = 0) => (a[i] && 'n' in a[i] ? (a[i] as { n: number }).n : dflt);
  const fd = (i: number) => `fd${(a[i] as { fd: number }).fd}`;
  const oct = (v: number) => (v === 0 ? '0' : `0${v.toString(8)}`);
  switch (s.call) {
    case 'open':
      return `tr_open(${t(0)}, ${cflags(n(1), flags)}, ${oct(n(2))})`;
    case 'openat':
      return `tr_openat(${fd(0)}, ${t(1)}, ${cflags(n(2), flags)}, ${oct(n(3))})`;
    case 'close':
      return `tr_close(${fd(0)})`;
    case 'read':
      return `tr_read(${fd(0)}, ${n(1)})`;
    case 'pread':
      return `tr_pread(${fd(0)}, ${n(1)}, ${n(2)})`;
    case 'write':
      return `tr_write(${fd(0)}, ${t(1)})`;
    case 'pwrite':
      return `tr_pwrite(${fd(0)}, ${t(1)}, ${n(2)})`;
    case 'lseek':
      return `tr_lseek(${fd(0)}, ${n(1)}, ${WHENCE[n(2)] ?? n(2)})`;
    case 'stat':
    case 'lstat':
    case 'chdir':
    case 'rmdir':
      return `tr_${s.call}(${t(0)})`;
    case 'fstatat':
      return `tr_fstatat(${fd(0)}, ${t(1)}, ${n(2)})`;
    case 'access':
      return `tr_access(${t(0)}, ${accessMode(n(1))})`;
    case 'getdents64':
      return `tr_getdents64(${fd(0)}, ${n(1, 32768)})`;
    case 'fchdir':
      return `tr_fchdir(${fd(0)})`;
    case 'getcwd':
      return 'tr_getcwd()';
    case 'mkdir':
      return `tr_mkdir(${t(0)}, ${oct(n(1, 0o755))})`;
    case 'chmod':
      return `tr_chmod(${t(0)}, ${oct(n(1))})`;
    case 'fchmod':
      return `tr_fchmod(${fd(0)}, ${oct(n(1))})`;
    case 'chown':
      return `tr_chown(${t(0)}, ${n(1)}, ${n(2)})`;
    case 'fchown':
      return `tr_fchown(${fd(0)}, ${n(1)}, ${n(2)})`;
  }
}

/** The lines of main() after the judged step's call (bound to `r`). */
function checkLines(j: Judged, c: ResolvedCheck | undefined): string[] {
  const verdict = (got: string) => `  tr_reproduced(${ctext(j.op)}, ${ctext(j.path)}, ${ctext(j.expected)}, ${got});`;
  if (!c) return ['  /* the scenario judged this with a condition of its own: only the health counters decide */'];
  switch (c.kind) {
    case 'errno':
      // 'OK' among the codes: the call may also succeed (explore's model allows a set, e.g. OK or EINVAL).
      return [
        `  if (${c.codes.map((e) => (e === 'OK' ? '!r.err' : `r.err == ${e}`)).join(' || ')}) tr_finish();`,
        verdict('tr_describe(r)'),
      ];
    case 'success':
      return ['  if (!r.err) tr_finish();', verdict('tr_describe(r)')];
    case 'error':
      return ['  if (r.err) tr_finish();', verdict('tr_describe(r)')];
    case 'unlisted':
      return [
        `  const char *l = tr_list(${ctext(c.path)});`,
        `  if (!l || !tr_has_word(l, ${ctext(c.name)})) tr_finish();`,
        verdict(ctext(`lists ${c.name}`)),
      ];
    case 'listed':
      return [
        `  const char *l = tr_list(${ctext(c.path)});`,
        `  if (l${c.names.map((x) => ` && tr_has_word(l, ${ctext(x)})`).join('')}) tr_finish();`,
        verdict(`l ? ${ctext(j.got)} : tr_errname(tr_list_err)`),
      ];
    case 'content':
      return [
        `  const char *s = tr_slurp(${ctext(c.path)});`,
        `  if (s && !strcmp(s, ${cstr(c.value)})) tr_finish();`,
        verdict('s ? s : "an error"'),
      ];
    case 'gid':
      return [
        `  tr_res st = tr_stat(${ctext(c.path)});`,
        `  if (!st.err && tr_st.st_gid == ${c.gid}) tr_finish();`,
        '  char got[32];',
        '  snprintf(got, sizeof got, "gid %u", (unsigned)tr_st.st_gid);',
        verdict('st.err ? tr_errname(st.err) : got'),
      ];
  }
}

/** A comment's text: no early end. */
function comment(s: string): string {
  return s.replace(/\*\//g, '* /');
}

function wrap(text: string, width = 76, prefix = ' * '): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of comment(text).split(/\s+/)) {
    if (line && line.length + 1 + w.length > width) {
      out.push(prefix + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(prefix + line);
  return out;
}

export function headerComment(h: Header, mode: EmitInput['mode'], check: string | undefined): string {
  const lines = [
    '/*',
    ` * ${comment(h.name)}: ${comment(h.title)}`,
    ' *',
    ...wrap(h.description),
    ' *',
    ' * Guards upstream:',
    ...h.references.map((r) => ` *   ${comment(r)}`),
    ' *',
    mode === 'health'
      ? ' * Replays the recorded steps; REPRODUCED when oops_count, warn_count or the taint mask rises.'
      : ` * Checks at the last step: ${comment(check ?? '')}.`,
    ` * Generated by tracefs-regress on ${comment(h.kernel.release)} (${comment(h.kernel.version)}), ${h.date}.`,
    ` * Steps kept ${h.steps.kept} of ${h.steps.total} recorded.`,
    ...(h.notes ?? []).flatMap((n) => wrap(n)),
    ' *',
    ` * Build: cc -O2 -static -pthread -o repro '${comment(h.file)}' && ./repro   (as root; -q quiet, -r TRACEFS, -w MS wait before the last step)`,
    ' * Exit: 0 not reproduced, 1 REPRODUCED (one line says what), 4 the kernel lacks tracefs or the probe kind.',
    ' */',
  ];
  return lines.join('\n');
}

export function emit(input: EmitInput): string {
  const steps = runnable(input.steps);
  const last = steps.at(-1);
  const judgedStep = input.mode === 'sequence' && last && last.index === input.judged?.step ? last : undefined;
  const before = judgedStep ? steps.slice(0, -1) : steps;
  const used = new Set<number>();
  for (const s of steps) for (const a of s.args) if ('fd' in a) used.add(a.fd);
  const body: string[] = [];
  for (const s of before) {
    const e = callExpr(s, input.flags);
    if ((s.call === 'open' || s.call === 'openat') && used.has(s.index))
      body.push(`  int fd${s.index} = (int)${e}.ret;`);
    else body.push(`  ${e};`);
  }
  if (judgedStep && input.judged) {
    body.push('  tr_pause();');
    body.push(`  tr_res r = ${callExpr(judgedStep, input.flags)};`);
    if (input.check?.kind !== 'errno' && input.check?.kind !== 'success' && input.check?.kind !== 'error')
      body.push('  (void)r;');
    body.push(...checkLines(input.judged, input.check));
  }
  if (input.mode === 'health') body.push('  tr_pause();');
  body.push('  tr_finish();');
  const kind = cstr(input.kind);
  const sym = input.symbol ? cstr(input.symbol) : 'NULL';
  return [
    headerComment(input.header, input.mode, input.mode === 'sequence' ? describeCheck(input.check) : undefined),
    '',
    input.runtime.trimEnd(),
    '',
    '/* ---- the recorded steps ---- */',
    'int main(int argc, char **argv) {',
    `  tr_init(argc, argv, ${kind}, ${sym});`,
    ...body,
    '  return 0;',
    '}',
    '',
  ].join('\n');
}
