// SPDX-License-Identifier: GPL-2.0-only
// Pure builders of control-file lines for each dynamic-event kind. Every
// part is validated on the way in (names.ts), so a definition is one command.
import type { ProbeKind } from '../model.js';
import { validateName, validateSymbol, validatePath, assertSingleCommand } from './names.js';

export type ProbeTarget =
  | { kind: 'kprobe'; symbol: string; ret?: boolean }
  | { kind: 'uprobe'; path: string; offset: bigint }
  | { kind: 'fprobe'; symbol: string }
  | { kind: 'eprobe'; system: string; event: string }
  | { kind: 'synthetic' };

/** Control file (relative to the tracefs root) each kind is written through. */
export const CONTROL_FILE: Record<ProbeKind, string> = {
  kprobe: 'kprobe_events',
  uprobe: 'uprobe_events',
  fprobe: 'dynamic_events',
  eprobe: 'dynamic_events',
  synthetic: 'synthetic_events',
};

/** Synthetic events live in the fixed group 'synthetic'; we own them by event name. */
export const SYNTHETIC_GROUP = 'synthetic';

/** Kinds whose events all live in one group the kernel names: a run can have no group of its own there. */
export const FIXED_GROUP: Partial<Record<ProbeKind, string>> = { synthetic: SYNTHETIC_GROUP };

export interface Definition {
  group: string;
  event: string;
  file: string;
  createLine: string;
  removeLine: string;
}

/**
 * The line that removes group/event through `controlFile` (a name or path):
 * `!event` for synthetic_events, `-:group/event` for the other control files.
 * Validated like a definition, so a listed name can't smuggle in a command.
 */
export function removalLine(controlFile: string, group: string, event: string): string {
  validateName('event', event);
  if (controlFile.endsWith(CONTROL_FILE.synthetic)) return assertSingleCommand(`!${event}`);
  return assertSingleCommand(`-:${validateName('group', group)}/${event}`);
}

export function define(group: string, event: string, target: ProbeTarget): Definition {
  validateName('event', event);
  const kind = target.kind;
  if (kind !== 'synthetic') validateName('group', group);
  const at = `${group}/${event}`;
  let create: string;
  switch (target.kind) {
    case 'kprobe':
      create = `${target.ret ? 'r' : 'p'}:${at} ${validateSymbol(target.symbol)}`;
      break;
    case 'uprobe':
      // The kernel reads the offset as an unsigned long (kstrtoul): anything else is EINVAL at write time.
      if (target.offset < 0n || target.offset >= 1n << 64n)
        throw new RangeError(`uprobe offset 0x${target.offset.toString(16)} is outside [0, 2^64)`);
      create = `p:${at} ${validatePath(target.path)}:0x${target.offset.toString(16)}`;
      break;
    case 'fprobe':
      create = `f:${at} ${validateSymbol(target.symbol)}`;
      break;
    case 'eprobe':
      create = `e:${at} ${validateName('group', target.system)}.${validateName('event', target.event)}`;
      break;
    case 'synthetic':
      // One field keeps the event valid on every kernel since 4.17.
      return {
        group: SYNTHETIC_GROUP,
        event,
        file: CONTROL_FILE.synthetic,
        createLine: assertSingleCommand(`${event} u64 tfsr_value`),
        removeLine: removalLine(CONTROL_FILE.synthetic, SYNTHETIC_GROUP, event),
      };
  }
  return {
    group,
    event,
    file: CONTROL_FILE[kind],
    createLine: assertSingleCommand(create),
    removeLine: removalLine(CONTROL_FILE[kind], group, event),
  };
}
