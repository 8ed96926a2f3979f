import { randomUUID } from 'node:crypto';
import type { RegistryChange } from '@muster/core';
import type { Collection } from 'mongodb';
import type { EventDocument } from './event-document.js';
import { isDuplicateKey } from './to-muster-error.js';

interface Pending {
  readonly document: Omit<EventDocument, '_id'>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const BATCH = 1_000;
const ATTEMPTS = 100;

/**
 * Appends change events under gap-free sequence numbers (`_id` 1, 2, 3...). A number is claimed
 * by inserting under it: the unique `_id` index lets exactly one writer have it, and a writer
 * that loses reads the newest number and tries the next one. So numbers become visible in order
 * and never leave holes, with no counter document (whose `findAndModify` mongo-java-server does
 * not run atomically). Appends of one instance are queued and inserted in batches: one round
 * trip for all the events that arrive while the previous batch is in flight.
 */
export class EventLog {
  readonly #events: Collection<EventDocument>;
  readonly #writer = randomUUID();
  #written = 0;
  #next: number | undefined;
  #pending: Pending[] = [];
  #flushing: Promise<void> | undefined;

  constructor(events: Collection<EventDocument>) {
    this.#events = events;
  }

  append(change: RegistryChange): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({
        document: {
          ns: change.namespace,
          type: change.type,
          identity: change.identity,
          ...(change.record === undefined ? {} : { record: change.record }),
          ...(change.previous === undefined ? {} : { previous: change.previous }),
          at: change.at,
          writtenAt: new Date(),
          token: `${this.#writer}:${this.#written++}`,
        },
        resolve,
        reject,
      });
      this.#flushing ??= this.#flush().finally(() => {
        this.#flushing = undefined;
      });
    });
  }

  /** The newest sequence number (0 while the log is empty). */
  async newest(): Promise<number> {
    const [last] = await this.#events
      .find({}, { sort: { _id: -1 }, limit: 1, projection: { _id: 1 } })
      .toArray();
    return last?._id ?? 0;
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, BATCH);
      try {
        await this.#insert(batch.map((pending) => pending.document));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        this.#next = undefined;
        for (const pending of batch) pending.reject(error);
      }
    }
  }

  async #insert(documents: Omit<EventDocument, '_id'>[]): Promise<void> {
    let left = documents;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      this.#next ??= (await this.newest()) + 1;
      const first = this.#next;
      try {
        await this.#events.insertMany(
          left.map((document, i) => ({ ...document, _id: first + i })),
          { ordered: true },
        );
        this.#next = first + left.length;
        return;
      } catch (error) {
        if (!isDuplicateKey(error) && !hasDuplicateKey(error)) throw error;
        // Another writer holds some of these numbers: keep what did get in, renumber the rest.
        const tokens = left.map((document) => document.token);
        const landed = await this.#events
          .find({ token: { $in: tokens } }, { projection: { token: 1 } })
          .toArray();
        const inserted = new Set(landed.map((document) => document.token));
        left = left.filter((document) => !inserted.has(document.token));
        this.#next = undefined;
        if (left.length === 0) return;
      }
    }
    throw new Error(`could not append change events after ${ATTEMPTS} attempts`);
  }
}

/** A bulk write error whose write errors are duplicate keys. */
function hasDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('writeErrors' in error)) return false;
  const writeErrors = (error as { writeErrors: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  return list.some((entry) => isDuplicateKey(entry));
}
