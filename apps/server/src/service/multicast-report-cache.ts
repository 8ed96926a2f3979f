import type { MulticastReport } from '@muster/core';

/**
 * Recent multicast reports for GetMulticast. The coordinator returns a report from `multicast`
 * but keeps none to look up later, so the server keeps the latest `capacity` reports for
 * `ttlMs` each, in this process only (a report made through another server instance is not
 * found here). Least recently stored first out.
 */
export class MulticastReportCache {
  readonly #entries = new Map<
    string,
    { readonly report: MulticastReport; readonly until: number }
  >();
  readonly #capacity: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { capacity: number; ttlMs: number; now?: () => number }) {
    this.#capacity = options.capacity;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  put(namespace: string, report: MulticastReport): void {
    const key = keyOf(namespace, report.multicastId);
    this.#entries.delete(key);
    this.#entries.set(key, { report, until: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  get(namespace: string, multicastId: string): MulticastReport | undefined {
    const key = keyOf(namespace, multicastId);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.report;
  }

  get size(): number {
    return this.#entries.size;
  }
}

function keyOf(namespace: string, multicastId: string): string {
  return `${namespace}\u0000${multicastId}`;
}
