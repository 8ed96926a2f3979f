import { messageIndexOf } from '../../messaging-support/message-index.js';
import type { DeliveryStatus } from '../../slots/envelope.js';
import type {
  DeliveryMark,
  IdentityDelivery,
  MulticastReport,
} from '../../slots/multicast-report.js';
import { NamespacedMap } from './namespaced-map.js';

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

/**
 * A kept report as one object and two arrays instead of an object per target: thousands of kept
 * reports would otherwise be millions of small objects for the garbage collector to walk on
 * every major collection, which slowed every multicast. Message ids of the coordinator's form
 * `<multicastId>-<index>` are not stored at all.
 */
interface Entry {
  readonly expiresAt: number;
  /** Identities that acked; undefined until the first mark. */
  marks: Set<string> | undefined;
  readonly multicastId: string;
  readonly targetCount: number;
  readonly identities: readonly string[];
  /**
   * Statuses by target index (shared constant strings: no object per target), or the one status
   * of every target when they all share it (the common case: no array kept at all).
   */
  readonly statuses: DeliveryStatus | readonly DeliveryStatus[];
  /** Errors by target index, when any. */
  readonly errors:
    | ReadonlyMap<number, { readonly code: string; readonly message: string }>
    | undefined;
  /**
   * 'indexed': every target's message id is `<multicastId>-<index>`; 'none': no target has one;
   * else the ids (or undefined) of the targets whose id is not of that form.
   */
  readonly messageIds: 'indexed' | 'none' | ReadonlyMap<number, string | undefined>;
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
  // Parallel arrays rather than an object per item: nothing more kept per report.
  #namespaces: string[] = [];
  #ids: string[] = [];
  #values: T[] = [];
  #head = 0;

  push(namespace: string, id: string, value: T): void {
    this.#namespaces.push(namespace);
    this.#ids.push(id);
    this.#values.push(value);
  }

  /** The oldest item still current in `map`, dropping stale ones on the way. */
  oldest(
    map: NamespacedMap<T>,
  ): { readonly namespace: string; readonly id: string; readonly value: T } | undefined {
    while (this.#head < this.#ids.length) {
      const namespace = this.#namespaces[this.#head]!;
      const id = this.#ids[this.#head]!;
      const value = this.#values[this.#head]!;
      if (map.get(namespace, id) === value) return { namespace, id, value };
      this.shift();
    }
    return undefined;
  }

  shift(): void {
    this.#head++;
    if (this.#head === this.#ids.length) {
      this.clear();
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#ids.length) {
      this.#namespaces = this.#namespaces.slice(this.#head);
      this.#ids = this.#ids.slice(this.#head);
      this.#values = this.#values.slice(this.#head);
      this.#head = 0;
    }
  }

  clear(): void {
    this.#namespaces = [];
    this.#ids = [];
    this.#values = [];
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
  #entries = new NamespacedMap<Entry>();
  #order = new Arrivals<Entry>();
  /** Marks that arrived before their report. */
  #waiting = new NamespacedMap<WaitingMarks>();
  #waitingOrder = new Arrivals<WaitingMarks>();
  #deliveries = 0;

  constructor(limits: ReportTableLimits = DEFAULT_REPORT_TABLE_LIMITS) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#entries.size;
  }

  save(namespace: string, report: MulticastReport, expiresAt: number, now: number): void {
    const id = report.multicastId;
    // A report saved again keeps its marks; marks that came before the first save join it.
    let marks = this.#entries.get(namespace, id)?.marks;
    this.#remove(namespace, id);
    const waiting = this.#waiting.get(namespace, id);
    if (waiting !== undefined) {
      this.#waiting.delete(namespace, id);
      if (marks === undefined) marks = waiting.identities;
      else for (const identity of waiting.identities) marks.add(identity);
    }
    const entry = compact(report, expiresAt, marks);
    this.#entries.set(namespace, id, entry);
    this.#order.push(namespace, id, entry);
    this.#deliveries += entry.identities.length;
    this.#evict(now);
  }

  mark(namespace: string, marks: readonly DeliveryMark[], now: number): void {
    for (const mark of marks) {
      const id = mark.multicastId;
      const entry = this.#entries.get(namespace, id);
      if (entry !== undefined) {
        if (now >= entry.expiresAt) continue;
        entry.marks ??= new Set();
        entry.marks.add(mark.identity);
        continue;
      }
      if (now >= mark.expiresAt) continue;
      let waiting = this.#waiting.get(namespace, id);
      if (waiting === undefined) {
        waiting = { identities: new Set(), expiresAt: mark.expiresAt };
        this.#waiting.set(namespace, id, waiting);
        this.#waitingOrder.push(namespace, id, waiting);
      } else waiting.expiresAt = Math.max(waiting.expiresAt, mark.expiresAt);
      waiting.identities.add(mark.identity);
    }
    this.#evictWaiting(now);
  }

  load(namespace: string, multicastId: string, now: number): MulticastReport | undefined {
    const entry = this.#entries.get(namespace, multicastId);
    // Not removed here: with several callers' clocks, the one that runs ahead must not decide.
    if (entry === undefined || now >= entry.expiresAt) return undefined;
    return expand(entry);
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

  #remove(namespace: string, id: string): void {
    const entry = this.#entries.get(namespace, id);
    if (entry === undefined) return;
    this.#entries.delete(namespace, id);
    this.#deliveries -= entry.identities.length;
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
      this.#remove(oldest.namespace, oldest.id);
      this.#order.shift();
    }
  }

  #evictWaiting(now: number): void {
    for (;;) {
      const oldest = this.#waitingOrder.oldest(this.#waiting);
      if (oldest === undefined) return;
      if (this.#waiting.size <= this.#limits.maxReports && now < oldest.value.expiresAt) return;
      this.#waiting.delete(oldest.namespace, oldest.id);
      this.#waitingOrder.shift();
    }
  }
}

function compact(
  report: MulticastReport,
  expiresAt: number,
  marks: Set<string> | undefined,
): Entry {
  const { multicastId, deliveries } = report;
  const count = deliveries.length;
  const identities = new Array<string>(count);
  const first = count === 0 ? 'SENT' : deliveries[0]!.status;
  let uniform = true;
  let errors: Map<number, { readonly code: string; readonly message: string }> | undefined;
  let missing = 0;
  for (let i = 0; i < count; i++) {
    const delivery = deliveries[i]!;
    identities[i] = delivery.identity;
    if (delivery.status !== first) uniform = false;
    if (delivery.error !== undefined) {
      errors ??= new Map();
      errors.set(i, delivery.error);
    }
    if (delivery.messageId === undefined) missing++;
  }
  return {
    expiresAt,
    marks,
    multicastId,
    targetCount: report.targetCount,
    identities,
    statuses: uniform ? first : deliveries.map((delivery) => delivery.status),
    errors,
    messageIds: missing === count ? 'none' : messageIdsOf(deliveries, multicastId),
  };
}

/** The message ids not of the form `<multicastId>-<index>` by index, or 'indexed' if none. */
function messageIdsOf(
  deliveries: readonly IdentityDelivery[],
  multicastId: string,
): 'indexed' | Map<number, string | undefined> {
  let others: Map<number, string | undefined> | undefined;
  for (let i = 0; i < deliveries.length; i++) {
    const messageId = deliveries[i]!.messageId;
    if (messageIndexOf(messageId, multicastId) !== i) {
      others ??= new Map();
      others.set(i, messageId);
    }
  }
  return others ?? 'indexed';
}

/** The report again, marked targets DELIVERED (without error) and deliveredCount recounted. */
function expand(entry: Entry): MulticastReport {
  const { multicastId, identities, statuses, errors, messageIds, marks } = entry;
  const count = identities.length;
  const deliveries = new Array<IdentityDelivery>(count);
  let deliveredCount = 0;
  for (let i = 0; i < count; i++) {
    const identity = identities[i]!;
    const messageId =
      messageIds === 'none'
        ? undefined
        : messageIds === 'indexed' || !messageIds.has(i)
          ? `${multicastId}-${i}`
          : messageIds.get(i);
    let status = typeof statuses === 'string' ? statuses : statuses[i]!;
    let error = errors?.get(i);
    if (status !== 'DELIVERED' && marks?.has(identity) === true) {
      status = 'DELIVERED';
      error = undefined;
    }
    if (status === 'DELIVERED') deliveredCount++;
    const delivery: {
      identity: string;
      status: DeliveryStatus;
      error?: NonNullable<IdentityDelivery['error']>;
      messageId?: string;
    } = {
      identity,
      status,
    };
    if (error !== undefined) delivery.error = error;
    if (messageId !== undefined) delivery.messageId = messageId;
    deliveries[i] = delivery;
  }
  return { multicastId, targetCount: entry.targetCount, deliveredCount, deliveries };
}
