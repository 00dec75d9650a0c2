#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// What an `explore` run exercised, read from its out dir's stream*.jsonl (every
// program the guests were sent): the calls by name, the files they reached by
// kind, the definitions written by probe type, and the races by event kind and
// op. On a kernel without gcov (every Debian kernel) this is the coverage a run
// can state; docs/explore.md quotes it for the one-hour runs.
//   node scripts/explore-actions.mjs OUT_DIR [--json]
import fs from 'node:fs';
import path from 'node:path';

const [dir, ...rest] = process.argv.slice(2);
if (!dir || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
  console.error('usage: node scripts/explore-actions.mjs OUT_DIR [--json] (an explore --out directory)');
  process.exit(2);
}
const files = fs
  .readdirSync(dir)
  .filter((f) => /^stream(-\d+)?\.jsonl$/.test(f))
  .sort();
if (!files.length) {
  console.error(`${dir}: no stream.jsonl: not an explore out directory`);
  process.exit(2);
}

const count = new Map();
const bump = (key, n = 1) => count.set(key, (count.get(key) ?? 0) + n);

/** A path template by what it is: a control file, an event's own file, a dir, an instance's. */
function kindOf(p) {
  if (!p) return 'a dir fd of an earlier call';
  const t = p.replace(/^\{root\}\/?/, '');
  const inst = t.startsWith('instances/') ? 'instance ' : '';
  const u = inst ? t.replace(/^instances\/[^/]+\/?/, '') : t;
  if (!u) return inst ? 'instance dir' : 'tracefs root';
  if (!u.startsWith('events/')) return `${inst}${u}`;
  const parts = u.split('/');
  if (parts.length === 2) return `${inst}group dir`;
  if (parts.length === 3) return `${inst}event dir`;
  return `${inst}event ${parts.slice(3).join('/')}`;
}

/** A definition line by its probe type: p: r: u: e: f: t: -: or '!' (a trigger), else the first word. */
function lineKind(text) {
  const m = /^\s*([-prufte]\d*):/.exec(text);
  if (m) return `${m[1].replace(/\d+$/, '')}:`;
  if (/^\s*!/.test(text)) return '!trigger';
  return text.trim().split(/\s+/)[0]?.slice(0, 24) || '(empty)';
}

let programs = 0;
let actions = 0;
for (const f of files)
  for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
    if (!line.startsWith('{"t":"program"')) continue;
    const rec = JSON.parse(line);
    programs++;
    const opened = new Map();
    rec.program.actions.forEach((a, i) => {
      actions++;
      if (a.kind === 'race') {
        const c = a.config;
        const def = c.create?.[0];
        bump(`race ${path.basename(def?.path ?? '?')} ${lineKind(def?.line ?? '')} ${c.threads} threads`);
        for (const [op, w] of Object.entries(c.weights ?? {})) if (w > 0) bump(`race op ${op}`);
        if (c.list) bump('race lists the group dir');
        if (c.heldDirfds) bump('race holds dirfds');
        return;
      }
      const p = a.args.find((x) => typeof x?.t === 'string' && x.t.startsWith('{root}'))?.t;
      if (a.call === 'open' || a.call === 'openat') opened.set(i, p);
      let where = p !== undefined ? kindOf(p) : undefined;
      const fd = a.args.find((x) => x && typeof x.fd === 'number');
      if (where === undefined && fd) where = opened.has(fd.fd) ? kindOf(opened.get(fd.fd) ?? '') : 'fd';
      bump(`call ${a.call}`);
      if (where) bump(`file ${where}`);
      if (a.call === 'write') {
        const text = a.args.find((x) => typeof x?.t === 'string' && !x.t.startsWith('{root}'))?.t ?? '';
        bump(`write ${where ?? '?'} ${lineKind(text)}`);
      }
    });
  }

const rows = [...count.entries()].sort(([a], [b]) => a.localeCompare(b));
if (rest.includes('--json'))
  console.log(JSON.stringify({ programs, actions, counts: Object.fromEntries(rows) }, null, 2));
else {
  console.log(`${dir}: ${programs} programs, ${actions} actions (${files.join(', ')})`);
  let section = '';
  for (const [k, n] of rows) {
    const s = k.split(' ')[0];
    if (s !== section) console.log(`\n${(section = s)}`);
    console.log(`  ${String(n).padStart(7)}  ${k.slice(s.length + 1)}`);
  }
}
