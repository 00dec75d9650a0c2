// SPDX-License-Identifier: GPL-2.0-only
// What is not storage: the pure half of the output checks. A report written
// into a kernel interface acts on the kernel (uprobe_events emptied, a
// cgroup made), into a FIFO hangs the run, into a device is lost (/dev/full).

/** statfs f_type of kernel and special filesystems: their files and directories are interfaces, not storage. */
export const SPECIAL_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x74726163, 'tracefs'],
  [0x64626720, 'debugfs'],
  [0x63677270, 'cgroup2'],
  [0x27e0eb, 'cgroup'],
  [0x19800202, 'mqueue'],
  [0x1cd1, 'devpts'],
  [0x73636673, 'securityfs'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0xf97cff8c, 'selinuxfs'],
  [0x43415d53, 'smackfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0x65735543, 'fusectl'],
  [0x7655821, 'resctrl'],
  [0x958458f6, 'hugetlbfs'],
  [0x6e736673, 'nsfs'],
  [0xabba1974, 'xenfs'],
]);

/** The special filesystem's name for a statfs f_type, or undefined for storage. */
export function specialFs(type: number): string | undefined {
  return SPECIAL_FS.get(type);
}

/** Only the file-type bits of st_mode matter here. */
export interface ModeLike {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isSymbolicLink(): boolean;
}

/** "a FIFO", "a symlink", ... or undefined for a regular file (from lstat: a link is named, not followed). */
export function notRegular(st: ModeLike): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The fix-it half of a refusal of FILE for FLAG because it is WHAT. */
export function fixFor(flag: string, file: string, what: string): string {
  if (what === 'a directory') return `name a file such as ${file.replace(/\/+$/, '')}/${exampleName(flag)}`;
  if (what === 'a symlink') return 'name the file itself: an output is never written through a link';
  if (flag === '--journal' || flag === '--keep-log') return `name a regular file (e.g. ./${exampleName(flag)})`;
  return `name a regular file (e.g. ./${exampleName(flag)}), or -o - for stdout`;
}

function exampleName(flag: string): string {
  if (flag === '--journal') return 'journal.jsonl';
  if (flag === '--keep-log') return 'console.log';
  return 'report.json';
}
