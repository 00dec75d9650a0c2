// The per-variant context a scenario runs in: probes of one kind in the
// run's group, instances, held fds, and what to undo when it ends.
import { native } from '../native/index.js';
import type { Ownership } from '../probes/ownership.js';
import type { ProbeKind } from '../model.js';
import type { ScenarioContext, ScenarioOptions } from '../scenarios/types.js';
import type { Tracefs } from '../tracefs/types.js';

export interface ContextHooks {
  log(msg: string): void;
  progress(line: string): void;
}

export class VariantContext implements ScenarioContext {
  private readonly fds = new Set<number>();
  /** This variant's own group: what one scenario removes can't hide another's events. */
  private readonly group: string;

  constructor(
    readonly tracefs: Tracefs,
    readonly kind: ProbeKind,
    readonly options: ScenarioOptions,
    readonly signal: AbortSignal,
    private readonly owner: Ownership,
    private readonly hooks: ContextHooks,
  ) {
    this.group = owner.newGroup();
  }

  newProbe(opts?: { group?: string }) {
    return this.owner.newProbe(this.kind, { group: opts?.group ?? this.group });
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

  /** Closes held fds (an open instance file would block rmdir), then removes probes and instances. */
  finish(): string[] {
    for (const fd of this.fds) native.close(fd);
    this.fds.clear();
    return this.owner.release();
  }
}
