// SPDX-License-Identifier: GPL-2.0-only
// One live status line on a TTY (rewritten in place); on a pipe or CI log,
// plain lines at most every few seconds. log-update draws the TTY line.
import { createLogUpdate } from 'log-update';

const PLAIN_INTERVAL_MS = 5000;

export class ProgressLine {
  private readonly draw?: ReturnType<typeof createLogUpdate>;
  private lastPlain = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {
    if (stream.isTTY) this.draw = createLogUpdate(stream, { showCursor: true });
  }

  update(line: string): void {
    if (this.draw) {
      this.draw(line);
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain >= PLAIN_INTERVAL_MS) {
      this.lastPlain = now;
      this.stream.write(`${line}\n`);
    }
  }

  /** A status shown only on a TTY (a CI log gets the result lines instead). */
  status(line: string): void {
    this.draw?.(line);
  }

  /** A permanent line (above the live one). */
  print(line: string): void {
    this.clear();
    this.stream.write(`${line}\n`);
  }

  clear(): void {
    this.draw?.clear();
  }
}
