import { CompressionTypes, type Message, type Producer } from 'kafkajs';
import { kafkaError, withTimeout } from './kafka-error.js';

/** A produce request carries at most about this many bytes (well below max.message.bytes). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/**
 * And at most this many records: kafkajs groups a request's records by partition in time
 * quadratic in their number, so huge requests cost more than several smaller ones.
 */
const MAX_REQUEST_RECORDS = 2_000;

/** Where a written record landed. */
export interface RecordPosition {
  readonly partition: number;
  readonly offset: number;
}

interface Pending {
  readonly topic: string;
  readonly messages: readonly Message[];
  readonly resolve: (positions: RecordPosition[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for one producer: writes asked for in the same turn of the event loop (many
 * subscribers acking at once, concurrent enqueues) go out together in one produce request,
 * and each caller learns the partition and offset of its own records. Every record has an
 * explicit partition, so a record's offset is its partition batch's base offset plus its
 * index there.
 */
export class RecordWriter {
  readonly #producer: () => Promise<Producer>;
  readonly #timeoutMs: number;
  #pending: Pending[] = [];
  #scheduled = false;

  constructor(producer: () => Promise<Producer>, timeoutMs: number) {
    this.#producer = producer;
    this.#timeoutMs = timeoutMs;
  }

  write(topic: string, messages: readonly Message[]): Promise<RecordPosition[]> {
    if (messages.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#pending.push({ topic, messages, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = [];
    // Requests of bounded size, each holding whole writes, sent one after the other (order).
    let request: Pending[] = [];
    let bytes = 0;
    let records = 0;
    const requests: Pending[][] = [request];
    for (const write of pending) {
      const size = write.messages.reduce((sum, m) => sum + approximateSize(m), 0);
      const full =
        bytes + size > MAX_REQUEST_BYTES || records + write.messages.length > MAX_REQUEST_RECORDS;
      if (full && request.length > 0) {
        request = [];
        bytes = 0;
        records = 0;
        requests.push(request);
      }
      request.push(write);
      bytes += size;
      records += write.messages.length;
    }
    for (const writes of requests) await this.#send(writes);
  }

  async #send(writes: readonly Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const write of writes) {
      const list = byTopic.get(write.topic);
      if (list === undefined) byTopic.set(write.topic, [...write.messages]);
      else for (const message of write.messages) list.push(message);
    }
    try {
      const producer = await this.#producer();
      const metadata = await withTimeout(
        producer.sendBatch({
          acks: -1,
          compression: CompressionTypes.None,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        }),
        this.#timeoutMs,
        'writing records',
      );
      const next = new Map<string, number>();
      for (const m of metadata) next.set(`${m.partition}\n${m.topicName}`, Number(m.baseOffset));
      for (const write of writes) {
        const positions: RecordPosition[] = [];
        for (const message of write.messages) {
          const partition = message.partition ?? 0;
          const slot = `${partition}\n${write.topic}`;
          const offset = next.get(slot);
          if (offset === undefined) throw new Error(`no offset for ${write.topic}/${partition}`);
          next.set(slot, offset + 1);
          positions.push({ partition, offset });
        }
        write.resolve(positions);
      }
    } catch (error) {
      const failure = kafkaError('writing records', error);
      for (const write of writes) write.reject(failure);
    }
  }
}

function approximateSize(message: Message): number {
  const value = message.value;
  const size =
    value === null || value === undefined
      ? 0
      : typeof value === 'string'
        ? value.length * 3
        : value.byteLength;
  return size + 160;
}
