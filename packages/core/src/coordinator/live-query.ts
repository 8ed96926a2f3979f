import type { Predicate } from '@muster/filter';
import { MusterError } from '../errors/muster-error.js';
import type { IdentityRecord } from '../slots/identity-record.js';
import type { RegistryChange, Unsubscribe } from '../slots/registry-slot.js';
import { AsyncQueue } from './async-queue.js';
import type { Watch, WatchEvent } from './muster-api.js';

/**
 * A watch: the set of identities matching a filter, kept current from registry changes, turned
 * into `added` / `changed` / `removed` events. Changes that arrive while the initial set is read
 * are held and applied after it. The `initial` events are produced as the reader asks for them
 * (a large initial set never fills the buffer); at most `bufferSize` other events wait, and a
 * reader that falls further behind gets an UNAVAILABLE error after the buffered events (watch
 * again with `initial: true` to resynchronise).
 */
export class LiveQuery implements Watch, AsyncIterator<WatchEvent> {
  readonly #namespace: string;
  readonly #predicate: Predicate | undefined;
  readonly #bufferSize: number;
  readonly #matching = new Map<string, IdentityRecord>();
  readonly #queue = new AsyncQueue<WatchEvent>();
  /** Changes seen before `start`; undefined once started. */
  #pending: RegistryChange[] | undefined = [];
  #initial: readonly IdentityRecord[] = [];
  #initialIndex = 0;
  #initialAt = 0;
  #unsubscribe: Unsubscribe | undefined;
  #onClose: ((watch: LiveQuery) => void) | undefined;
  #signal: AbortSignal | undefined;
  #closed = false;

  constructor(namespace: string, predicate: Predicate | undefined, bufferSize: number) {
    this.#namespace = namespace;
    this.#predicate = predicate;
    this.#bufferSize = bufferSize;
  }

  /** The registry change listener. */
  onChange = (change: RegistryChange): void => {
    if (this.#closed || change.namespace !== this.#namespace) return;
    if (this.#pending !== undefined) this.#pending.push(change);
    else this.#apply(change);
  };

  /**
   * Starts the live query from the identities matching now (`records`, from a full walk), then
   * applies the changes held meanwhile. With `initial`, the first events are `added`/`initial`
   * for each of them.
   */
  start(
    records: readonly IdentityRecord[],
    initial: boolean,
    at: number,
    unsubscribe: Unsubscribe,
    onClose: (watch: LiveQuery) => void,
    signal: AbortSignal | undefined,
  ): void {
    this.#unsubscribe = unsubscribe;
    this.#onClose = onClose;
    for (const record of records) this.#matching.set(record.identity, record);
    if (initial) {
      this.#initial = records;
      this.#initialAt = at;
    }
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    for (const change of pending) {
      // The walk may already show this change: do not report it twice.
      const known = this.#matching.get(change.identity);
      if (
        known !== undefined &&
        change.record !== undefined &&
        (change.type === 'registered' || change.type === 'updated') &&
        sameRecord(known, change.record)
      )
        continue;
      this.#apply(change);
    }
    if (signal !== undefined) {
      this.#signal = signal;
      signal.addEventListener('abort', this.#onAbort, { once: true });
      if (signal.aborted) void this.close();
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return this;
  }

  next(): Promise<IteratorResult<WatchEvent>> {
    if (this.#initialIndex < this.#initial.length && !this.#closed) {
      const record = this.#initial[this.#initialIndex++]!;
      if (this.#initialIndex === this.#initial.length) this.#initial = [];
      return Promise.resolve({
        done: false,
        value: {
          type: 'added',
          reason: 'initial',
          identity: record.identity,
          record,
          at: this.#initialAt,
        },
      });
    }
    return this.#queue.next();
  }

  async return(): Promise<IteratorResult<WatchEvent>> {
    await this.close();
    return { done: true, value: undefined };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#initial = [];
    this.#pending = undefined;
    this.#queue.end();
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onClose?.(this);
    await this.#unsubscribe?.().catch(() => {});
  }

  #onAbort = (): void => {
    void this.close();
  };

  #apply(change: RegistryChange): void {
    const identity = change.identity;
    const known = this.#matching.get(identity);
    if (change.type === 'unregistered' || change.type === 'expired') {
      if (known === undefined) return;
      this.#matching.delete(identity);
      this.#emit('removed', change.type, identity, known, change.at);
      return;
    }
    const record = change.record;
    if (record === undefined) return;
    const predicate = this.#predicate;
    if (predicate === undefined || predicate(record.metadata)) {
      this.#matching.set(identity, record);
      this.#emit(
        known === undefined ? 'added' : 'changed',
        change.type,
        identity,
        record,
        change.at,
      );
    } else if (known !== undefined) {
      // Updated out of the filter: the new record shows why it left.
      this.#matching.delete(identity);
      this.#emit('removed', change.type, identity, record, change.at);
    }
  }

  #emit(
    type: WatchEvent['type'],
    reason: WatchEvent['reason'],
    identity: string,
    record: IdentityRecord,
    at: number,
  ): void {
    if (this.#queue.size >= this.#bufferSize) {
      this.#fallBehind();
      return;
    }
    this.#queue.push({ type, reason, identity, record, at });
  }

  #fallBehind(): void {
    const error = new MusterError(
      'UNAVAILABLE',
      `the watch fell behind: more than ${this.#bufferSize} events were waiting to be read; watch again with initial: true to resynchronise`,
      { details: { limit: 'subscriberBufferSize', max: this.#bufferSize } },
    );
    this.#closed = true;
    this.#queue.end(error, true);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onClose?.(this);
    void this.#unsubscribe?.().catch(() => {});
  }
}

function sameRecord(a: IdentityRecord, b: IdentityRecord): boolean {
  return (
    a === b ||
    (a.updatedAt === b.updatedAt &&
      a.registeredAt === b.registeredAt &&
      a.expiresAt === b.expiresAt &&
      JSON.stringify(a.metadata) === JSON.stringify(b.metadata))
  );
}
