import type {
  DeliveryMark,
  IdentityDelivery,
  MulticastReport,
} from '../../slots/multicast-report.js';

/** How much a report table holds; beyond either bound the oldest saved reports go first. */
export interface ReportTableLimits {
  /** Reports kept. */
  readonly maxReports: number;
  /** Deliveries kept, summed over the reports (the newest report is kept whatever its size). */
  readonly maxDeliveries: number;
}

export const DEFAULT_REPORT_TABLE_LIMITS: ReportTableLimits = Object.freeze({
  maxReports: 10_000,
  maxDeliveries: 1_000_000,
});

interface Entry {
  readonly report: MulticastReport;
  readonly expiresAt: number;
  /** Identities that acked; undefined until the first mark. */
  marks: Set<string> | undefined;
}

interface WaitingMarks {
  readonly identities: Set<string>;
  expiresAt: number;
}

/**
 * Keys in the order they were stored, with what was stored, so the oldest is found in O(1)
 * (iterating a Map from its start skips the holes its deletions leave, which grows costly).
 * An item whose key now maps to another value is stale and skipped.
 */
class Arrivals<T> {
  #items: { readonly key: string; readonly value: T }[] = [];
  #head = 0;

  push(key: string, value: T): void {
    this.#items.push({ key, value });
  }

  /** The oldest item still current in `map`, dropping stale ones on the way. */
  oldest(map: ReadonlyMap<string, T>): { readonly key: string; readonly value: T } | undefined {
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head]!;
      if (map.get(item.key) === item.value) return item;
      this.shift();
    }
    return undefined;
  }

  shift(): void {
    this.#head++;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

/**
 * Multicast reports in memory, by namespace and id, with DELIVERED marks and expiry: the
 * in-memory durability slot's report store, and the coordinator's per-process one when its
 * durability slot cannot store reports. Reports are kept by reference. Expired reports are
 * never returned, and are dropped from the oldest end as new ones are saved and by `trim`.
 */
export class ReportTable {
  readonly #limits: ReportTableLimits;
  #entries = new Map<string, Entry>();
  #order = new Arrivals<Entry>();
  /** Marks that arrived before their report. */
  #waiting = new Map<string, WaitingMarks>();
  #waitingOrder = new Arrivals<WaitingMarks>();
  #deliveries = 0;

  constructor(limits: ReportTableLimits = DEFAULT_REPORT_TABLE_LIMITS) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#entries.size;
  }

  save(namespace: string, report: MulticastReport, expiresAt: number, now: number): void {
    const id = key(namespace, report.multicastId);
    // A report saved again keeps its marks; marks that came before the first save join it.
    let marks = this.#entries.get(id)?.marks;
    this.#remove(id);
    const waiting = this.#waiting.get(id);
    if (waiting !== undefined) {
      this.#waiting.delete(id);
      if (marks === undefined) marks = waiting.identities;
      else for (const identity of waiting.identities) marks.add(identity);
    }
    const entry: Entry = { report, expiresAt, marks };
    this.#entries.set(id, entry);
    this.#order.push(id, entry);
    this.#deliveries += report.deliveries.length;
    this.#evict(now);
  }

  mark(namespace: string, marks: readonly DeliveryMark[], now: number): void {
    for (const mark of marks) {
      const id = key(namespace, mark.multicastId);
      const entry = this.#entries.get(id);
      if (entry !== undefined) {
        if (now >= entry.expiresAt) continue;
        entry.marks ??= new Set();
        entry.marks.add(mark.identity);
        continue;
      }
      if (now >= mark.expiresAt) continue;
      let waiting = this.#waiting.get(id);
      if (waiting === undefined) {
        waiting = { identities: new Set(), expiresAt: mark.expiresAt };
        this.#waiting.set(id, waiting);
        this.#waitingOrder.push(id, waiting);
      } else waiting.expiresAt = Math.max(waiting.expiresAt, mark.expiresAt);
      waiting.identities.add(mark.identity);
    }
    this.#evictWaiting(now);
  }

  load(namespace: string, multicastId: string, now: number): MulticastReport | undefined {
    const entry = this.#entries.get(key(namespace, multicastId));
    // Not removed here: with several callers' clocks, the one that runs ahead must not decide.
    if (entry === undefined || now >= entry.expiresAt) return undefined;
    return entry.marks === undefined ? entry.report : withMarks(entry.report, entry.marks);
  }

  /** Drops expired reports and waiting marks from the oldest end. */
  trim(now: number): void {
    this.#evict(now);
    this.#evictWaiting(now);
  }

  clear(): void {
    this.#entries.clear();
    this.#order.clear();
    this.#waiting.clear();
    this.#waitingOrder.clear();
    this.#deliveries = 0;
  }

  #remove(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    this.#deliveries -= entry.report.deliveries.length;
  }

  // Expiry times are nearly in save order (one retention per namespace), so looking only at
  // the oldest end frees expired reports in O(1) amortised; a straggler waits for the bounds.
  #evict(now: number): void {
    const { maxReports, maxDeliveries } = this.#limits;
    for (;;) {
      const oldest = this.#order.oldest(this.#entries);
      if (oldest === undefined) return;
      const over =
        this.#entries.size > maxReports ||
        (this.#deliveries > maxDeliveries && this.#entries.size > 1);
      if (!over && now < oldest.value.expiresAt) return;
      this.#remove(oldest.key);
      this.#order.shift();
    }
  }

  #evictWaiting(now: number): void {
    for (;;) {
      const oldest = this.#waitingOrder.oldest(this.#waiting);
      if (oldest === undefined) return;
      if (this.#waiting.size <= this.#limits.maxReports && now < oldest.value.expiresAt) return;
      this.#waiting.delete(oldest.key);
      this.#waitingOrder.shift();
    }
  }
}

/** The report with marked targets DELIVERED and deliveredCount recomputed. */
function withMarks(report: MulticastReport, marks: ReadonlySet<string>): MulticastReport {
  let deliveredCount = 0;
  const deliveries = report.deliveries.map((delivery): IdentityDelivery => {
    if (delivery.status === 'DELIVERED') {
      deliveredCount++;
      return delivery;
    }
    if (!marks.has(delivery.identity)) return delivery;
    deliveredCount++;
    return { identity: delivery.identity, status: 'DELIVERED' };
  });
  return {
    multicastId: report.multicastId,
    targetCount: report.targetCount,
    deliveredCount,
    deliveries,
  };
}

function key(namespace: string, multicastId: string): string {
  return `${namespace}\n${multicastId}`;
}
