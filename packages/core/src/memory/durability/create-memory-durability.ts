import { checkRetention } from '../../durability-support/check-retention.js';
import { MusterError } from '../../errors/muster-error.js';
import type {
  DurabilitySlot,
  DurabilitySupports,
  QueuedMessage,
  RetentionPolicy,
} from '../../slots/durability-slot.js';
import type { Envelope } from '../../slots/envelope.js';
import type { DeliveryMark, MulticastReport } from '../../slots/multicast-report.js';
import type { Unsubscribe } from '../../slots/registry-slot.js';
import { IdentityQueue } from './identity-queue.js';
import {
  DEFAULT_REPORT_TABLE_LIMITS,
  ReportTable,
  type ReportTableLimits,
} from './report-table.js';

/** 7 days and 10,000 messages per identity. */
export const DEFAULT_RETENTION: RetentionPolicy = Object.freeze({
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  maxLength: 10_000,
});

export const MEMORY_DURABILITY_SUPPORTS: DurabilitySupports = Object.freeze({
  retention: true,
  notify: true,
  distributed: false,
  reports: true,
});

export interface MemoryDurabilityOptions {
  /**
   * Applied to every namespace (retention is a property of the durable store, as a stream's
   * limits are). Default DEFAULT_RETENTION (7 days, 10,000 messages per identity); `{}` keeps
   * everything until acked or purged.
   */
  readonly retention?: RetentionPolicy;
  /**
   * Bounds of the stored multicast reports (default 10,000 reports and 1,000,000 deliveries in
   * all); beyond them the oldest saved reports are dropped before they expire.
   */
  readonly reportLimits?: Partial<ReportTableLimits>;
}

interface Listener {
  readonly notify: () => void;
  active: boolean;
}

interface NamespaceQueues {
  readonly queues: Map<string, IdentityQueue>;
  /** Last sequence given out in this namespace: sequences are never reused, even after purge. */
  sequence: number;
  readonly listeners: Map<string, readonly Listener[]>;
}

/**
 * The in-memory durability slot: one ordered queue per identity. Messages older than
 * `maxAgeMs` (by `createdAt`) are invisible to `read` at once and dropped by `trim`; beyond
 * `maxLength` unacked messages per identity the oldest is dropped on enqueue. `onAvailable`
 * listeners run synchronously, once per identity per enqueue call, after the batch is stored.
 */
export function createMemoryDurability(options: MemoryDurabilityOptions = {}): DurabilitySlot {
  return new MemoryDurability(
    checkRetention(options.retention ?? DEFAULT_RETENTION),
    checkReportLimits(options.reportLimits),
  );
}

class MemoryDurability implements DurabilitySlot {
  readonly supports = MEMORY_DURABILITY_SUPPORTS;
  #namespaces = new Map<string, NamespaceQueues>();
  #maxAgeMs: number | undefined;
  #maxLength: number;
  readonly #reports: ReportTable;
  #closed = false;

  constructor(retention: RetentionPolicy, reportLimits: ReportTableLimits) {
    this.#maxAgeMs = retention.maxAgeMs;
    this.#maxLength = retention.maxLength ?? Number.POSITIVE_INFINITY;
    this.#reports = new ReportTable(reportLimits);
  }

  async enqueue(
    namespace: string,
    envelopes: readonly Envelope[],
    _now: number,
  ): Promise<readonly number[]> {
    const state = this.#state(namespace, true)!;
    const { queues, listeners } = state;
    const maxLength = this.#maxLength;
    const sequences: number[] = [];
    let woken: Set<string> | undefined;
    for (let i = 0; i < envelopes.length; i++) {
      const envelope = envelopes[i]!;
      const identity = envelope.identity;
      const sequence = ++state.sequence;
      let queue = queues.get(identity);
      if (queue === undefined) {
        queue = new IdentityQueue();
        queues.set(identity, queue);
      }
      queue.append({ sequence, envelope });
      if (queue.size > maxLength) {
        queue.dropOldest();
        if (queue.size === 0) queues.delete(identity);
      }
      sequences.push(sequence);
      if (listeners.size > 0 && listeners.has(identity)) {
        woken ??= new Set();
        woken.add(identity);
      }
    }
    if (woken !== undefined) for (const identity of woken) notify(listeners.get(identity));
    return sequences;
  }

  async read(
    namespace: string,
    identity: string,
    options: { readonly after?: number; readonly limit: number },
    now: number,
  ): Promise<readonly QueuedMessage[]> {
    const limit = options.limit;
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new MusterError(
        'INVALID_ARGUMENT',
        `read limit must be a non-negative integer, not ${limit}`,
        {
          details: { field: 'limit' },
        },
      );
    const state = this.#state(namespace, false);
    const queue = state?.queues.get(identity);
    if (queue === undefined || limit === 0) return [];
    const messages = queue.read(options.after ?? 0, limit, this.#minCreatedAt(now));
    if (queue.size === 0) state!.queues.delete(identity);
    return messages;
  }

  async ack(namespace: string, identity: string, sequences: readonly number[]): Promise<void> {
    const state = this.#state(namespace, false);
    const queue = state?.queues.get(identity);
    if (queue === undefined) return;
    for (let i = 0; i < sequences.length; i++) queue.ack(sequences[i]!);
    if (queue.size === 0) state!.queues.delete(identity);
  }

  async purge(namespace: string, identity: string): Promise<void> {
    this.#state(namespace, false)?.queues.delete(identity);
  }

  async trim(namespace: string, now: number): Promise<void> {
    this.#reports.trim(now);
    const queues = this.#state(namespace, false)?.queues;
    if (queues === undefined) return;
    const minCreatedAt = this.#minCreatedAt(now);
    for (const [identity, queue] of queues) {
      queue.trim(minCreatedAt, this.#maxLength);
      if (queue.size === 0) queues.delete(identity);
    }
  }

  async onAvailable(
    namespace: string,
    identity: string,
    listener: () => void,
  ): Promise<Unsubscribe> {
    const listeners = this.#state(namespace, true)!.listeners;
    const entry: Listener = { notify: listener, active: true };
    listeners.set(identity, [...(listeners.get(identity) ?? []), entry]);
    return async () => {
      if (!entry.active) return;
      entry.active = false;
      const rest = (listeners.get(identity) ?? []).filter((e) => e !== entry);
      if (rest.length > 0) listeners.set(identity, rest);
      else listeners.delete(identity);
    };
  }

  async saveReport(namespace: string, report: MulticastReport, expiresAt: number): Promise<void> {
    this.#checkOpen();
    // No caller's `now` here: only the size bounds apply; trim and load drop expired reports.
    this.#reports.save(namespace, report, expiresAt, Number.NEGATIVE_INFINITY);
  }

  async markDelivered(
    namespace: string,
    marks: readonly DeliveryMark[],
    now: number,
  ): Promise<void> {
    this.#checkOpen();
    this.#reports.mark(namespace, marks, now);
  }

  async loadReport(
    namespace: string,
    multicastId: string,
    now: number,
  ): Promise<MulticastReport | undefined> {
    this.#checkOpen();
    return this.#reports.load(namespace, multicastId, now);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#reports.clear();
    for (const state of this.#namespaces.values()) {
      for (const entries of state.listeners.values())
        for (const entry of entries) entry.active = false;
    }
    this.#namespaces.clear();
  }

  #checkOpen(): void {
    if (this.#closed) throw new MusterError('UNAVAILABLE', 'the durability slot is closed');
  }

  #state(namespace: string, create: boolean): NamespaceQueues | undefined {
    this.#checkOpen();
    let state = this.#namespaces.get(namespace);
    if (state === undefined && create) {
      state = { queues: new Map(), sequence: 0, listeners: new Map() };
      this.#namespaces.set(namespace, state);
    }
    return state;
  }

  #minCreatedAt(now: number): number {
    return this.#maxAgeMs === undefined ? Number.NEGATIVE_INFINITY : now - this.#maxAgeMs;
  }
}

/** Runs each active listener once; one that throws does not stop the others. */
function notify(entries: readonly Listener[] | undefined): void {
  if (entries === undefined) return;
  for (const entry of entries) {
    if (!entry.active) continue;
    try {
      entry.notify();
    } catch {
      // A listener's failure is its own; the enqueue has succeeded.
    }
  }
}

function checkReportLimits(limits: Partial<ReportTableLimits> | undefined): ReportTableLimits {
  if (limits === undefined) return DEFAULT_REPORT_TABLE_LIMITS;
  const checked = { ...DEFAULT_REPORT_TABLE_LIMITS };
  for (const field of ['maxReports', 'maxDeliveries'] as const) {
    const value = limits[field];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1)
      throw new MusterError(
        'INVALID_ARGUMENT',
        `reportLimits.${field} must be a positive integer, not ${value}`,
        { details: { field: `reportLimits.${field}` } },
      );
    checked[field] = value;
  }
  return Object.freeze(checked);
}
