import { ReportTable } from '../memory/durability/report-table.js';
import type { DurabilitySlot } from '../slots/durability-slot.js';
import type { DeliveryMark, MulticastReport } from '../slots/multicast-report.js';

/** The durability slot's report methods, when it declares `supports.reports` and has them. */
type ReportSlot = Required<Pick<DurabilitySlot, 'saveReport' | 'markDelivered' | 'loadReport'>>;

/**
 * Where a coordinator keeps multicast reports for `getMulticast`: in the durability slot when
 * it `supports.reports` (shared by every coordinator on it), else in a bounded table of this
 * process. Saving never delays a multicast: `keep` starts the slot's save and returns (started
 * at once, so another coordinator on the same slot finds the report as soon as the slot has
 * it); `load` waits for this coordinator's saves in flight, so a multicast is
 * found at once by the coordinator that made it. A failed save is counted, warned about once,
 * and the report kept in the local table instead (found by this process only).
 */
export class MulticastReports {
  readonly #slot: ReportSlot | undefined;
  readonly #now: () => number;
  readonly #local = new ReportTable();
  /** Saves started and not settled; `load` and `flush` wait for them to reach zero. */
  #inFlight = 0;
  #idle: (() => void)[] = [];
  #saveFailures = 0;

  constructor(durability: DurabilitySlot | null, now: () => number) {
    this.#slot = reportSlot(durability);
    this.#now = now;
  }

  /** Reports whose save failed (each is kept locally instead). */
  get saveFailures(): number {
    return this.#saveFailures;
  }

  keep(namespace: string, report: MulticastReport, expiresAt: number): void {
    const slot = this.#slot;
    if (slot === undefined) {
      this.#local.save(namespace, report, expiresAt, this.#now());
      return;
    }
    let saving: Promise<void>;
    try {
      saving = slot.saveReport(namespace, report, expiresAt);
    } catch (error) {
      saving = Promise.reject(error);
    }
    // A count, not a promise per report kept in a map: this runs on every multicast.
    this.#inFlight++;
    saving.then(this.#settled, (error: unknown) => {
      this.#failed(error);
      this.#local.save(namespace, report, expiresAt, this.#now());
      this.#settled();
    });
  }

  /** Receivers acked at-least-once messages: their targets become DELIVERED. */
  async delivered(namespace: string, marks: readonly DeliveryMark[]): Promise<void> {
    const now = this.#now();
    if (this.#slot === undefined || this.#local.size > 0) this.#local.mark(namespace, marks, now);
    if (this.#slot !== undefined) await this.#slot.markDelivered(namespace, marks, now);
  }

  async load(namespace: string, multicastId: string): Promise<MulticastReport | undefined> {
    const slot = this.#slot;
    if (slot !== undefined) {
      // This coordinator's own saves first, so a multicast it just made is found.
      await this.flush();
      const report = await slot.loadReport(namespace, multicastId, this.#now());
      if (report !== undefined) return report;
    }
    return this.#local.load(namespace, multicastId, this.#now());
  }

  /** Drops expired reports of the local table. */
  trim(now: number): void {
    this.#local.trim(now);
  }

  /** Resolves when every save started so far has finished (before the slots are closed). */
  flush(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #settled = (): void => {
    if (--this.#inFlight > 0) return;
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  };

  #failed(error: unknown): void {
    this.#saveFailures++;
    if (this.#saveFailures > 1) return;
    // Once per coordinator: a library should not flood the log, and the next saves may succeed.
    process.emitWarning(
      `muster: a multicast report could not be saved in the durability slot (${String(error)}); ` +
        'failed reports are kept in this process only',
      { code: 'MUSTER_REPORT_SAVE_FAILED' },
    );
  }
}

function reportSlot(durability: DurabilitySlot | null): ReportSlot | undefined {
  if (durability === null || !durability.supports.reports) return undefined;
  const { saveReport, markDelivered, loadReport } = durability;
  if (saveReport === undefined || markDelivered === undefined || loadReport === undefined)
    return undefined;
  return {
    saveReport: saveReport.bind(durability),
    markDelivered: markDelivered.bind(durability),
    loadReport: loadReport.bind(durability),
  };
}
