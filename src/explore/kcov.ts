// SPDX-License-Identifier: GPL-2.0-only
// Where the loop gets one execution's kernel trace: KCOV on the JS thread,
// enabled just around Explorer.execute. The sequential actions are system
// calls the addon makes on that thread, so their kernel paths are traced;
// a race action runs on the race engine's native threads, which KCOV does
// not see, so it adds only the JS thread's own waiting (epoll, futex) to the
// trace. Tests pass a fake TraceSource.
import { isErr, kcovOpen, KCOV_WORDS, type Kcov, type Result, type SysError } from '../native/index.js';

export interface TraceSource {
  /** Before an execution: start tracing the calling thread from an empty buffer. */
  start(): Result<number>;
  /** After it: stop tracing; the PCs in trace order. */
  stop(): Result<Uint32Array>;
  /** Gives the buffer back. */
  close(): void;
}

/** A TraceSource over an open Kcov. */
export function kcovTraceSource(k: Kcov): TraceSource {
  return {
    start() {
      const r = k.reset();
      return isErr(r) ? r : k.enable();
    },
    stop() {
      const d = k.disable();
      const pcs = k.collect();
      return isErr(d) ? d : pcs;
    },
    close() {
      k.close();
    },
  };
}

/** KCOV when the kernel has it; otherwise why not (the caller runs blind and says so). */
export function openTraceSource(words: number = KCOV_WORDS): TraceSource | SysError {
  const k = kcovOpen(words);
  return isErr(k) ? k : kcovTraceSource(k);
}
