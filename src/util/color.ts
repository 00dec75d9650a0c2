// SPDX-License-Identifier: GPL-2.0-only
// The one place that decides whether output gets ANSI colour: `--color
// auto|always|never` (every command has it; main.ts sets the mode before a
// command runs), then the environment (FORCE_COLOR, https://no-color.org's
// NO_COLOR), then whether the stream is a terminal.

export const COLOR_MODES = ['auto', 'always', 'never'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

let mode: ColorMode = 'auto';

/** Set once per process from --color, before the command's action runs. */
export function setColorMode(m: ColorMode): void {
  mode = m;
}

export function colorMode(): ColorMode {
  return mode;
}

/**
 * --color always/never win; under auto, FORCE_COLOR (set, and not 0/false)
 * forces colour as it does for Node itself, NO_COLOR (set and non-empty)
 * turns it off, and otherwise only a terminal gets colour.
 */
export function useColor(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  m: ColorMode = mode,
): boolean {
  if (m !== 'auto') return m === 'always';
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return stream.isTTY === true;
}
