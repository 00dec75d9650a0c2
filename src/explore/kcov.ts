// SPDX-License-Identifier: GPL-2.0-only
// Where the loop gets one execution's kernel edges: KCOV on the JS thread,
// enabled just around Explorer.execute. The sequential actions are system
// calls the addon makes on that thread, so their kernel paths are traced;
// a race action runs on the race engine's native threads, which KCOV does
// not see, so it adds only the JS thread's own waiting (epoll, futex) to the
// trace. An executor that calls checkpoint() after each action gets one
// trace per action: no edge pairs the last PC of one action with the first
// of the next, and a long program cannot fill the buffer. Tests pass a fake.
import { isErr, kcovOpen, KCOV_WORDS, type Kcov, type Result, type SysError } from '../native/index.js';
import { traceEdges } from './corpus.js';

export interface TraceSource {
  /** Before an execution: start tracing the calling thread from an empty buffer. */
  start(): Result<number>;
  /** Between two actions (optional): folds the trace so far into the execution's edges and empties the buffer. */
  checkpoint(): Result<number>;
  /** After it: stop tracing; the execution's edges. */
  stop(): Result<Set<number>>;
  /** Traces that filled the buffer (their last PCs were lost), over the source's life. */
  readonly fullBuffers: number;
  /** Gives the buffer back. */
  close(): void;
}

/** A TraceSource over an open Kcov. */
export function kcovTraceSource(k: Kcov): TraceSource {
  let edges = new Set<number>();
  let fullBuffers = 0;
  const fold = (): Result<number> => {
    const pcs = k.collect();
    if (isErr(pcs)) return pcs;
    if (pcs.length >= k.words - 1) fullBuffers++;
    for (const e of traceEdges(pcs)) edges.add(e);
    return k.reset();
  };
  return {
    get fullBuffers() {
      return fullBuffers;
    },
    start() {
      edges = new Set();
      const r = k.reset();
      return isErr(r) ? r : k.enable();
    },
    checkpoint: fold,
    stop() {
      const d = k.disable();
      const f = fold();
      if (isErr(d)) return d;
      return isErr(f) ? f : edges;
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
