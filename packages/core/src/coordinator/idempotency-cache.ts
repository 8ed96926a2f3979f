import type { MulticastReport } from './muster-api.js';

/** How many keys a namespace remembers, and for how long. */
export const IDEMPOTENCY_MAX_KEYS = 10_000;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

interface Entry {
  readonly report: Promise<MulticastReport>;
  readonly at: number;
}

/**
 * Multicast reports by idempotency key, for one namespace: a repeated key gets the first call's
 * report (or joins it while it is still running). Bounded by count and age; the oldest key goes
 * first. A call that fails forgets its key, so the caller can retry it.
 */
export class IdempotencyCache {
  #entries = new Map<string, Entry>();
  readonly #maxKeys: number;
  readonly #ttlMs: number;

  constructor(maxKeys = IDEMPOTENCY_MAX_KEYS, ttlMs = IDEMPOTENCY_TTL_MS) {
    this.#maxKeys = maxKeys;
    this.#ttlMs = ttlMs;
  }

  get(key: string, now: number): Promise<MulticastReport> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now - entry.at >= this.#ttlMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.report;
  }

  set(key: string, report: Promise<MulticastReport>, now: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { report, at: now });
    // Map iteration is insertion order: the first keys are the oldest.
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxKeys && now - entry.at < this.#ttlMs) break;
      this.#entries.delete(oldest);
    }
    report.catch(() => {
      if (this.#entries.get(key)?.report === report) this.#entries.delete(key);
    });
  }
}
