// SPDX-License-Identifier: GPL-2.0-only
// Plain text as the kernel's mailing lists want it (Documentation/process/
// email-clients.rst, submitting-patches.rst): prose wrapped at 72 columns so
// a reply's "> " quoting still fits 80; kernel log lines, commands, config
// lines and code quoted exactly as they are, never wrapped, because a
// wrapped oops line or a wrapped C line is no longer what the kernel printed
// or what the compiler reads. A mail is a list of blocks that say which is which.
import wrapAnsi from 'wrap-ansi';

export const PROSE_WIDTH = 72;

export type Block =
  /** Wrapped at PROSE_WIDTH; one paragraph. */
  | { prose: string }
  /** Printed line for line, unchanged (kernel lines, commands, config, code). */
  | { quote: readonly string[] };

/** A paragraph in lines of at most `width` columns, broken between words (a longer word stays whole). */
export type Wrapper = (text: string, width: number) => string[];

export const wrapProse: Wrapper = (text, width) =>
  wrapAnsi(text.replace(/\s+/g, ' ').trim(), width, { hard: false, trim: true }).split('\n');

/** The blocks as lines, a blank line between blocks. */
export function layout(blocks: readonly Block[], wrap: Wrapper = wrapProse): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if (out.length > 0) out.push('');
    if ('prose' in b) out.push(...wrap(b.prose, PROSE_WIDTH));
    else out.push(...b.quote);
  }
  return out;
}

/**
 * What is wrong with `lines` as the layout of `blocks`: a prose line wider
 * than PROSE_WIDTH, a prose paragraph whose words changed, or a quoted line
 * that is not the block's line, character for character. Empty when the
 * layout keeps both promises.
 */
export function layoutProblems(blocks: readonly Block[], lines: readonly string[]): string[] {
  const problems: string[] = [];
  let i = 0;
  for (const [n, b] of blocks.entries()) {
    if (n > 0) {
      if (lines[i] !== '') problems.push(`line ${i + 1}: expected the blank line between blocks`);
      i++;
    }
    if ('quote' in b) {
      for (const q of b.quote) {
        if (lines[i] !== q) problems.push(`line ${i + 1}: quoted line changed: ${JSON.stringify(lines[i])}`);
        i++;
      }
      continue;
    }
    const words = b.prose.split(/\s+/).filter(Boolean);
    const got: string[] = [];
    while (i < lines.length && lines[i] !== '' && got.length < words.length) {
      const l = lines[i]!;
      if (l.length > PROSE_WIDTH) problems.push(`line ${i + 1}: ${l.length} columns of prose (at most ${PROSE_WIDTH})`);
      got.push(...l.split(/\s+/).filter(Boolean));
      i++;
    }
    if (got.join(' ') !== words.join(' ')) problems.push(`line ${i}: the paragraph's words changed`);
  }
  if (i !== lines.length) problems.push(`${lines.length - i} lines after the last block`);
  return problems;
}
