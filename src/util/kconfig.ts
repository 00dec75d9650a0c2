// SPDX-License-Identifier: GPL-2.0-only
// The one reader of kernel configuration text: a .config, /proc/config.gz,
// a distribution's /boot/config-*, or a fragment. Two line forms count:
//   CONFIG_X=value            sets X to value (kept as written, quotes included)
//   # CONFIG_X is not set     records X as 'n'
// Leading and trailing blanks (and a CR) are ignored. Every other line --
// blank, another comment, or malformed such as `CONFIG_X y` or `CONFIG_=y` --
// sets nothing: a checker reading the result then sees X as unset.

/** One option: its name without the CONFIG_ prefix, and its value ('n' when not set). */
export interface ConfigOption {
  name: string;
  value: string;
}

const SET = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/;
const UNSET = /^# CONFIG_([A-Za-z0-9_]+) is not set$/;

/** The option a line sets, or undefined for any other line. */
export function parseConfigLine(line: string): ConfigOption | undefined {
  const t = line.trim();
  const set = SET.exec(t);
  if (set) return { name: set[1]!, value: set[2]! };
  const unset = UNSET.exec(t);
  return unset ? { name: unset[1]!, value: 'n' } : undefined;
}

/** Name -> value (names without CONFIG_); a later line for the same name wins, as in kconfig. */
export function parseKconfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const o = parseConfigLine(line);
    if (o) out.set(o.name, o.value);
  }
  return out;
}

/** The line that sets o: `CONFIG_X=value`, or `# CONFIG_X is not set` for 'n'. */
export function renderConfigLine(o: ConfigOption): string {
  return o.value === 'n' ? `# CONFIG_${o.name} is not set` : `CONFIG_${o.name}=${o.value}`;
}
