import type { Message } from 'kafkajs';
import { ACK_RECORD } from './queue-view.js';
import type { RecordWriter } from './record-writer.js';

/** Most acks in one ack record (keeps a record far below max.message.bytes). */
const MAX_ACKS_PER_RECORD = 5_000;

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface PendingAcks {
  /** Per partition, per identity key: the acked sequences. */
  readonly partitions: Map<number, Map<string, number[]>>;
  readonly waiters: Waiter[];
}

/**
 * Acks from one turn of the event loop (a thousand subscribers acking one multicast) become one
 * ack record per topic partition, `[[key, [sequence...]], ...]`, instead of a record each: a
 * partition's ack record follows the messages it acks in that partition's log, so every reader
 * applies it after them.
 */
export class AckBatcher {
  readonly #writer: RecordWriter;
  #pending = new Map<string, PendingAcks>();
  #scheduled = false;

  constructor(writer: RecordWriter) {
    this.#writer = writer;
  }

  ack(topic: string, partition: number, key: string, sequences: readonly number[]): Promise<void> {
    let pending = this.#pending.get(topic);
    if (pending === undefined) {
      pending = { partitions: new Map(), waiters: [] };
      this.#pending.set(topic, pending);
    }
    let keys = pending.partitions.get(partition);
    if (keys === undefined) {
      keys = new Map();
      pending.partitions.set(partition, keys);
    }
    const list = keys.get(key);
    if (list === undefined) keys.set(key, [...sequences]);
    else list.push(...sequences);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
    const waiters = pending.waiters;
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  }

  #flush(): void {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = new Map();
    for (const [topic, { partitions, waiters }] of pending) {
      const records: Message[] = [];
      for (const [partition, keys] of partitions) {
        let entries: [string, number[]][] = [];
        let count = 0;
        const push = () => {
          records.push({
            key: '',
            value: JSON.stringify(entries),
            partition,
            headers: { k: ACK_RECORD },
          });
          entries = [];
          count = 0;
        };
        for (const entry of keys) {
          entries.push(entry);
          count += entry[1].length;
          if (count >= MAX_ACKS_PER_RECORD) push();
        }
        if (entries.length > 0) push();
      }
      this.#writer.write(topic, records).then(
        () => {
          for (const waiter of waiters) waiter.resolve();
        },
        (error: unknown) => {
          for (const waiter of waiters) waiter.reject(error);
        },
      );
    }
  }
}
