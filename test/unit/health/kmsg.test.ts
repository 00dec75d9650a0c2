// SPDX-License-Identifier: GPL-2.0-only
import { describe, it, expect } from 'vitest';
import { parseKmsgRecord, isAlarm, KmsgScanner, unescapeKmsg, formatKmsgLine } from '../../../src/health/kmsg.js';

const rec = (seq: number, msg: string, pri = 3, ts = 1_234_567) => `${pri},${seq},${ts},-;${msg}\n`;

describe('kmsg parsing', () => {
  it('parses a record with a dictionary continuation', () => {
    const r = parseKmsgRecord(
      '4,1042,98765432,-,caller=T123;WARNING: CPU: 0 PID: 1 at kernel/x.c:1\n SUBSYSTEM=acpi\n DEVICE=+acpi:PNP\n',
    );
    expect(r).toEqual({
      priority: 4,
      level: 4,
      facility: 0,
      seq: 1042,
      tsUsec: 98765432,
      flags: '-',
      message: 'WARNING: CPU: 0 PID: 1 at kernel/x.c:1',
    });
  });

  it('splits facility and level and unescapes \\xNN', () => {
    const r = parseKmsgRecord('14,5,0,c;a\\x5cb\\x0asecond');
    expect(r?.facility).toBe(1);
    expect(r?.level).toBe(6);
    expect(r?.flags).toBe('c');
    expect(r?.message).toBe('a\\b\nsecond');
    expect(unescapeKmsg('no escapes')).toBe('no escapes');
  });

  it('rejects text that is not a record', () => {
    expect(parseKmsgRecord('hello')).toBeUndefined();
    expect(parseKmsgRecord('x,y;msg')).toBeUndefined();
    expect(parseKmsgRecord('a,b,c,-;msg')).toBeUndefined();
  });

  it('formats timestamps like dmesg', () => {
    expect(formatKmsgLine(12_000_345, 'x')).toBe('[   12.000345] x');
  });
});

describe('alarm matching', () => {
  it.each([
    'BUG: KASAN: slab-use-after-free in eventfs_iterate+0x1c/0x2a0',
    'BUG: kernel NULL pointer dereference, address: 0000000000000010',
    'WARNING: CPU: 1 PID: 812 at fs/tracefs/event_inode.c:412 eventfs_remove_dir+0x9/0x10',
    'Oops: general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] SMP',
    'general protection fault, probably for non-canonical address',
    'Call Trace:',
    'list_del corruption. prev->next should be ffff888004a3c0a8',
    'refcount_t: underflow; use-after-free.',
    'UBSAN: array-index-out-of-bounds in kernel/trace/trace_events.c:99:5',
  ])('catches %s', (line) => expect(isAlarm(line)).toBe(true));

  it.each([
    'tracefs: mount option "mode" ignored',
    'virtio_net virtio0 eth0: renamed from eth0',
    'drop_caches (1234): drop_caches: 2',
    'Booting the kernel, bugs are unlikely',
  ])('lets a benign line through: %s', (line) => expect(isAlarm(line)).toBe(false));
});

describe('KmsgScanner', () => {
  it('keeps nothing from a benign log', () => {
    const s = new KmsgScanner();
    for (let i = 0; i < 50; i++) s.feed(rec(i, `eth0: link up ${i}`, 6));
    expect(s.alarms).toBe(0);
    expect(s.lines).toEqual([]);
  });

  it('catches a KASAN report and keeps the lines after it, bounded by context', () => {
    const s = new KmsgScanner({ context: 3, maxLines: 100 });
    s.feed(rec(1, 'before: unrelated'));
    s.feed(rec(2, '=================================================================='));
    s.feed(rec(3, 'BUG: KASAN: slab-use-after-free in tracing_open_file_tr+0x3c/0x120'));
    s.feed(rec(4, 'Read of size 8 at addr ffff88800b3e1a10 by task cat/311'));
    s.feed(rec(5, 'CPU: 0 UID: 0 PID: 311 Comm: cat Tainted: G    B'));
    s.feed(rec(6, 'Hardware name: QEMU Standard PC'));
    s.feed(rec(7, 'this one is past the context window'));
    expect(s.alarms).toBe(1);
    expect(s.lines).toHaveLength(4);
    expect(s.lines[0]).toContain('BUG: KASAN: slab-use-after-free');
    expect(s.lines.join('\n')).not.toContain('past the context window');
    expect(s.lines.join('\n')).not.toContain('unrelated');
  });

  it('extends the window when another marker appears inside it', () => {
    const s = new KmsgScanner({ context: 2, maxLines: 100 });
    s.feed(rec(1, 'WARNING: CPU: 0 PID: 1 at x'));
    s.feed(rec(2, 'Modules linked in:'));
    s.feed(rec(3, 'Call Trace:'));
    s.feed(rec(4, ' <TASK>'));
    s.feed(rec(5, ' eventfs_remove_dir+0x9/0x10'));
    s.feed(rec(6, 'tail, dropped'));
    expect(s.alarms).toBe(2);
    expect(s.lines).toHaveLength(5);
  });

  it('caps the lines it keeps and counts the rest', () => {
    const s = new KmsgScanner({ context: 30, maxLines: 10 });
    for (let i = 0; i < 25; i++) s.feed(rec(i, `BUG: flood ${i}`));
    expect(s.lines).toHaveLength(10);
    expect(s.dropped).toBe(15);
    expect(s.alarms).toBe(25);
  });

  it('handles a record carrying several lines', () => {
    const s = new KmsgScanner({ context: 1, maxLines: 10 });
    s.feed(rec(1, 'first\\x0aBUG: inside\\x0aafter\\x0afar'));
    expect(s.lines.map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual(['BUG: inside', 'after']);
  });

  it('ignores garbage records', () => {
    const s = new KmsgScanner();
    s.feed('not a record BUG:');
    expect(s.alarms).toBe(0);
  });
});

describe('kmsg text: bytes, then UTF-8, then control characters shown', () => {
  // As /dev/kmsg gives them: every byte below ' ', from 127 up, and '\' escaped as \xNN.
  const ESC_SEQ = '\\x1b[2J\\x1b]0;owned\\x07red\\x1b[0m';

  it('shows ESC sequences, BEL and NUL as \\xNN, never raw', () => {
    const r = parseKmsgRecord(`4,7,1000,-;evil ${ESC_SEQ} nul\\x00 bel\\x07 del\\x7f tab\\x09 cr\\x0d`)!;
    expect(r.message).toBe('evil \\x1b[2J\\x1b]0;owned\\x07red\\x1b[0m nul\\x00 bel\\x07 del\\x7f tab\\x09 cr\\x0d');
    expect(r.message).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  });

  it('decodes UTF-8 that the kernel escaped byte by byte ("é" c3 a9, "→" e2 86 92, "😀" f0 9f 98 80)', () => {
    const r = parseKmsgRecord('6,8,1000,-;caf\\xc3\\xa9 a \\xe2\\x86\\x92 b \\xf0\\x9f\\x98\\x80')!;
    expect(r.message).toBe('café a → b 😀');
    expect(unescapeKmsg('d\\xc3\\xa9j\\xc3\\xa0 vu')).toBe('déjà vu');
  });

  it('keeps a backslash the kernel escaped, and a newline as a line break', () => {
    expect(unescapeKmsg('a\\x5cb\\x0ac')).toBe('a\\b\nc');
  });

  it('shows bytes that are not well-formed UTF-8 as \\xNN (lone, cut, overlong, surrogate) and C1 controls too', () => {
    expect(unescapeKmsg('\\xff x \\xc3 y \\xe2\\x86 z')).toBe('\\xff x \\xc3 y \\xe2\\x86 z');
    expect(unescapeKmsg('\\xc0\\xaf \\xed\\xa0\\x80')).toBe('\\xc0\\xaf \\xed\\xa0\\x80');
    // U+009B (c2 9b) is a CSI to some terminals.
    expect(unescapeKmsg('csi\\xc2\\x9b31m')).toBe('csi\\x9b31m');
  });

  it('takes text that arrives unescaped as UTF-8, and still escapes its controls', () => {
    expect(unescapeKmsg('é \x1b[31m')).toBe('é \\x1b[31m');
  });

  it('the scanner keeps only escaped lines: a splat with an ESC sequence and UTF-8', () => {
    const s = new KmsgScanner({ context: 2, maxLines: 10 });
    s.feed(rec(1, `BUG: KASAN: comm ${ESC_SEQ}\\x0a name caf\\xc3\\xa9 \\xe2\\x86\\x92 x`));
    expect(s.lines.map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'BUG: KASAN: comm \\x1b[2J\\x1b]0;owned\\x07red\\x1b[0m',
      ' name café → x',
    ]);
    expect(s.lines.join('')).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });
});

describe('alarm matching: the splat vocabulary and the stack dump', () => {
  it('alarms on every splat kind and on Call Trace, not on planted near misses', () => {
    for (const l of [
      'Kernel panic - not syncing: Fatal exception',
      'KASAN: null-ptr-deref in range [0x8-0xf]',
      ' Call Trace:',
    ]) {
      expect(isAlarm(l), l).toBe(true);
    }
    for (const l of ['DEBUG: a driver prefix', 'Oopsie', 'kasan: KernelAddressSanitizer initialized', 'call trace:']) {
      expect(isAlarm(l), l).toBe(false);
    }
  });
});
