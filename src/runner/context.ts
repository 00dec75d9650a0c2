// SPDX-License-Identifier: GPL-2.0-only
// The per-variant context a scenario runs in: its system calls, probes of one
// kind in the run's group, instances, held fds, and what to undo when it ends.
import { native, type Sys } from '../native/index.js';
import type { Ownership } from '../probes/ownership.js';
import type { ProbeKind } from '../model.js';
import { Checks } from '../scenarios/checks.js';
import type { JudgeHook, ScenarioContext, ScenarioOptions } from '../scenarios/types.js';
import type { Tracefs } from '../tracefs/types.js';

export interface ContextHooks {
  log(msg: string): void;
  progress(line: string): void;
}

/** What a variant's system calls go through, and who sees its failed expectations (a recording). */
export interface ContextSys {
  sys: Sys;
  onJudged?: JudgeHook;
}

export class VariantContext implements ScenarioContext {
  private readonly fds = new Set<number>();
  /** This variant's own group: what one scenario removes can't hide another's events. */
  private readonly group: string;
  readonly sys: Sys;
  private readonly onJudged: JudgeHook | undefined;

  constructor(
    readonly tracefs: Tracefs,
    readonly kind: ProbeKind,
    readonly options: ScenarioOptions,
    readonly signal: AbortSignal,
    private readonly owner: Ownership,
    private readonly hooks: ContextHooks,
    through: ContextSys = { sys: native },
  ) {
    this.group = owner.newGroup();
    this.sys = through.sys;
    this.onJudged = through.onJudged;
  }

  checks(): Checks {
    return new Checks({ onJudged: this.onJudged, invertCheck: this.options.testHooks?.invertCheck });
  }
  newProbe(opts?: { group?: string }) {
    return this.owner.newProbe(this.kind, { group: opts?.group ?? this.group, sys: this.sys });
  }
  newInstance(): string {
    return this.owner.newInstance();
  }
  hold(fd: number): number {
    this.fds.add(fd);
    return fd;
  }
  log(msg: string): void {
    this.hooks.log(msg);
  }
  progress(line: string): void {
    this.hooks.progress(line);
  }

  /**
   * Closes held fds (an open instance file would block rmdir), then removes
   * probes and instances: the runner's own calls, after any recording ended.
   */
  finish(): string[] {
    for (const fd of this.fds) native.close(fd);
    this.fds.clear();
    return this.owner.release();
  }
}
