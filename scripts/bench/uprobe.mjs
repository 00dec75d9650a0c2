// The benchmark's probe: a uprobe at the entry point of /bin/true in a group
// of our own (tfsr_<pid>_bench), written append-only, removed at the end.
import fs from 'node:fs';

export const TRACEFS = '/sys/kernel/tracing';

/** File offset of an ELF64 executable's entry point (through its PT_LOAD segments). */
export function entryOffset(file) {
  const b = fs.readFileSync(file);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) throw new Error(`${file}: not an ELF64 file`);
  const entry = b.readBigUInt64LE(24);
  const phoff = Number(b.readBigUInt64LE(32));
  const phentsize = b.readUInt16LE(54);
  const phnum = b.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (b.readUInt32LE(p) !== 1) continue; // PT_LOAD
    const off = b.readBigUInt64LE(p + 8), vaddr = b.readBigUInt64LE(p + 16), filesz = b.readBigUInt64LE(p + 32);
    if (entry >= vaddr && entry < vaddr + filesz) return entry - vaddr + off;
  }
  throw new Error(`${file}: entry point outside every PT_LOAD segment`);
}

export function benchProbe(tag = 'bench') {
  const bin = fs.realpathSync('/bin/true');
  const group = `tfsr_${process.pid}_${tag}`;
  const event = 'ev';
  const eventDir = `${TRACEFS}/events/${group}/${event}`;
  return {
    group,
    event,
    control: `${TRACEFS}/uprobe_events`,
    createLine: `p:${group}/${event} ${bin}:0x${entryOffset(bin).toString(16)}`,
    removeLine: `-:${group}/${event}`,
    eventDir,
    groupDir: `${TRACEFS}/events/${group}`,
  };
}

/** Best effort: disable, then remove with one appended line. */
export function removeProbe(p) {
  try {
    fs.writeFileSync(`${p.eventDir}/enable`, '0');
  } catch {
    // not there
  }
  const fd = fs.openSync(p.control, fs.constants.O_WRONLY | fs.constants.O_APPEND);
  try {
    fs.writeSync(fd, p.removeLine);
  } catch {
    // already removed
  } finally {
    fs.closeSync(fd);
  }
}
