import { decodeIdentityToken, type QueuedMessage } from '@muster/core';
import type { KafkaMessage } from 'kafkajs';
import { DurableQueue } from './durable-queue.js';
import { header, recordEnvelope } from './envelope-record.js';

/** Record kinds in a queue topic (header `k`); a record without it is a message. */
export const ACK_RECORD = 'ack';
export const PURGE_RECORD = 'purge';

interface Listener {
  readonly notify: () => void;
  active: boolean;
}

/**
 * A process's view of one namespace's queue topic, rebuilt by reading the log in order:
 * message records append to their identity's queue (sequence = offset + 1), ack records
 * (`[[identity key, [sequence...]], ...]`, many identities of a partition in one record) mark
 * sequences acked, a purge record at offset P drops every message of its identity before it.
 * Retention by length is applied as messages arrive (the oldest unacked go first). Every
 * process reading the same log builds the same queues.
 */
export class QueueView {
  readonly #queues = new Map<string, DurableQueue>();
  /** Per identity key: messages with a lower sequence were purged. */
  readonly #purgedBefore = new Map<string, number>();
  readonly #listeners = new Map<string, readonly Listener[]>();
  readonly #maxLength: number;

  constructor(maxLength: number) {
    this.#maxLength = maxLength;
  }

  /** Applies records of one partition, in offset order; wakes listeners of new messages. */
  apply(records: readonly KafkaMessage[]): void {
    let woken: Set<string> | undefined;
    for (const record of records) {
      const key = record.key?.toString('utf8');
      if (key === undefined) continue;
      const sequence = Number(record.offset) + 1;
      const kind = header(record.headers ?? {}, 'k');
      if (kind === ACK_RECORD) {
        const acks = JSON.parse(record.value?.toString('utf8') ?? '[]') as [string, number[]][];
        for (const [acked, sequences] of acks) this.ack(acked, sequences);
      } else if (kind === PURGE_RECORD) {
        this.purge(key, sequence);
      } else if (sequence >= (this.#purgedBefore.get(key) ?? 0)) {
        this.#append(key, {
          sequence,
          envelope: recordEnvelope(record, decodeIdentityToken(key)),
        });
        if (this.#listeners.has(key)) {
          woken ??= new Set();
          woken.add(key);
        }
      }
    }
    if (woken !== undefined) for (const key of woken) this.#notify(key);
  }

  read(key: string, after: number, limit: number, minCreatedAt: number): QueuedMessage[] {
    return this.#queues.get(key)?.read(after, limit, minCreatedAt) ?? [];
  }

  ack(key: string, sequences: readonly number[]): void {
    const queue = this.#queues.get(key);
    if (queue === undefined) return;
    for (const sequence of sequences) queue.ack(sequence);
    if (queue.size === 0) this.#queues.delete(key);
  }

  /** Drops the identity's messages with a sequence below `before`, now and when they arrive. */
  purge(key: string, before: number): void {
    if (before > (this.#purgedBefore.get(key) ?? 0)) this.#purgedBefore.set(key, before);
    const queue = this.#queues.get(key);
    if (queue === undefined) return;
    const kept = queue.read(before - 1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
    this.#queues.delete(key);
    for (const message of kept) this.#append(key, message);
  }

  /** Retention by age: drops messages created before `minCreatedAt`. */
  trim(minCreatedAt: number): void {
    for (const [key, queue] of this.#queues) {
      queue.dropOlderThan(minCreatedAt);
      if (queue.size === 0) this.#queues.delete(key);
    }
  }

  listen(key: string, notify: () => void): () => void {
    const entry: Listener = { notify, active: true };
    this.#listeners.set(key, [...(this.#listeners.get(key) ?? []), entry]);
    return () => {
      if (!entry.active) return;
      entry.active = false;
      const rest = (this.#listeners.get(key) ?? []).filter((e) => e !== entry);
      if (rest.length > 0) this.#listeners.set(key, rest);
      else this.#listeners.delete(key);
    };
  }

  #append(key: string, message: QueuedMessage): void {
    let queue = this.#queues.get(key);
    if (queue === undefined) {
      queue = new DurableQueue();
      this.#queues.set(key, queue);
    }
    queue.append(message);
    if (queue.size > this.#maxLength) queue.keepNewest(this.#maxLength);
  }

  #notify(key: string): void {
    for (const entry of this.#listeners.get(key) ?? []) {
      if (!entry.active) continue;
      try {
        entry.notify();
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}
