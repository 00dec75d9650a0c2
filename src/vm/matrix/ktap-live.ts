// SPDX-License-Identifier: GPL-2.0-only
// `vm --format ktap`: the guest's results printed on the host as they arrive.
// The guest appends each result to its run journal on the results share
// (virtio-9p without cache: each write(2) reaches the host at once, and a
// panic does not take back what was written), which the host already follows
// (boot/watch.ts); the serial console is not used for this, as the kernel's
// own messages interleave with anything written there. The journal's start
// record carries the guest's plan (its variants in order), so the document's
// plan is that plus the host's own two checks, vm-console and vm-boot, which
// close every kernel's document (ok when clean) so the plan is whole even
// when the guest dies. With several kernels, each is a subtest (indented 2)
// of a document whose plan is the number of kernels.
import { EXIT } from '../../errors.js';
import { exitCodeFor } from '../../report/exit-code.js';
import { diag, ktapName } from '../../report/ktap.js';
import { KtapStream, type KtapSink } from '../../report/ktap-stream.js';
import type { JournalRecord } from '../../report/journal.js';
import type { RunReport, ScenarioResult } from '../../report/types.js';
import { kernelLabel } from '../../report/text.js';
import { BOOT_RESULT, CONSOLE_RESULT, hostCheck } from './matrix.js';

const HOST_CHECKS = [CONSOLE_RESULT, BOOT_RESULT];

/** The host's check when it found nothing wrong: a PASS, so every kernel's document ends the same two lines. */
const clean = (name: string): ScenarioResult => hostCheck(name, 'PASS');

export class VmKtap {
  private doc: KtapStream | undefined;
  private planned: string[] = [];
  private kernelsDone = 0;

  /** kernels: how many will boot; more than one nests each kernel's document as a subtest. */
  constructor(
    private readonly sink: KtapSink,
    private readonly kernels: number,
  ) {
    if (kernels > 1) sink(`KTAP version 1\n1..${kernels}\n`);
  }

  private get indent(): string {
    return this.kernels > 1 ? '  ' : '';
  }

  /** A journal record from the guest now booted: its start opens the document, each result goes out as it comes. */
  readonly onJournal = (r: JournalRecord): void => {
    if (r.type === 'start') {
      // A second boot of the same kernel (an emulator fault discarded the first) continues the same document.
      if (this.doc) return;
      this.planned = r.plan ? [...r.plan, ...HOST_CHECKS] : [];
      this.doc = new KtapStream(this.sink, this.indent);
      this.doc.begin(r.plan ? this.planned.length : undefined, r.tool, r.env);
    } else if (r.type === 'result' && this.doc && !this.doc.has(r.result.name)) {
      this.doc.result(r.result);
    }
  };

  /** The host discarded a boot and boots the kernel again: said in the document, results already out stay. */
  note(text: string): void {
    if (this.doc) this.doc.note(text);
  }

  /**
   * One kernel's boot is over: the host's final report (console failures,
   * timeouts, the guest's not-run variants) closes its document; whatever the
   * plan still lacks is `# ERROR not run: <why the boot ended>`.
   */
  bootEnded(report: RunReport, why: string | undefined): void {
    const guest = report.results.filter((r) => !HOST_CHECKS.includes(r.name));
    if (!this.doc) {
      // The guest never started its run (no start record): the plan is what the report holds.
      this.planned = [...guest.map((r) => r.name), ...HOST_CHECKS];
      this.doc = new KtapStream(this.sink, this.indent);
      this.doc.begin(this.planned.length, report.tool, report.env);
    }
    const host = HOST_CHECKS.map((n) => report.results.find((r) => r.name === n) ?? clean(n));
    const all = [...guest, ...host];
    // With no plan from the guest (--until-fail), the report's results in order, then the host's checks.
    if (this.planned.length === 0) this.planned = all.map((r) => r.name);
    this.doc.finish({ ...report, results: all }, this.planned, why);
    this.doc = undefined;
    this.planned = [];
    this.kernelsDone++;
    if (this.kernels > 1) this.sink(kernelLine(report, this.kernelsDone).join('\n') + '\n');
  }

  /** Kernels of the matrix that never booted (an interrupt ended the series): not run, so the plan stays whole. */
  end(notBooted: readonly string[], why: string): void {
    if (this.kernels <= 1) return;
    for (const k of notBooted)
      this.sink(`not ok ${++this.kernelsDone} ${ktapName(k)} # ERROR not run: ${ktapName(why)}\n`);
  }
}

/** The line closing one kernel's subtest, as renderKtapMatrix writes it. */
function kernelLine(report: RunReport, n: number): string[] {
  const code = exitCodeFor(report);
  const label = ktapName(kernelLabel(report.env));
  if (code === EXIT.failed) return [`not ok ${n} ${label}`];
  if (code === EXIT.skip) return [diag('skipped: nothing runnable on this kernel'), `ok ${n} ${label} # SKIP`];
  return [`ok ${n} ${label}`];
}
