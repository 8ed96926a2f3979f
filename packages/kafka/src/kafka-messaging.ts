import { randomUUID } from 'node:crypto';
import type {
  Envelope,
  InboundMessage,
  MessagingSlot,
  MessagingSupports,
  PublishOptions,
  PublishResult,
  Unsubscribe,
} from '@muster/core';
import { MusterError, SentMessage } from '@muster/core';
import {
  CompressionTypes,
  type Kafka,
  type KafkaMessage,
  type Message,
  type Producer,
} from 'kafkajs';
import { envelopeRecord, recordEnvelope } from './envelope-record.js';
import { createKafkaClient } from './kafka-client.js';
import { closedError, kafkaError, withTimeout } from './kafka-error.js';
import type { KafkaSlotOptions } from './kafka-slot-options.js';
import { partitionOf } from './partition-of.js';
import { TopicAdmin } from './topic-admin.js';
import { identityKey, topicName } from './topic-name.js';
import { TopicTail } from './topic-tail.js';

/**
 * Fire-and-forget only: Kafka cannot tell whether anybody reads an identity's records (no
 * presence), and this slot has no reply path (no acked delivery: the coordinator answers an
 * acked multicast with UNSUPPORTED). Subscribers in every process receive every message.
 */
export const KAFKA_MESSAGING_SUPPORTS: MessagingSupports = Object.freeze({
  atMostOnce: true,
  acked: false,
  presence: false,
  distributed: true,
});

export interface KafkaMessagingOptions extends KafkaSlotOptions {
  /**
   * Consumer group id of this slot instance (one group per namespace: `<groupId>.<namespace>`).
   * Default: `<topicPrefix>.subscriber.<random uuid>`, fresh per instance. Every process must
   * have its own: instances in one group would split the namespace's messages between them.
   */
  readonly groupId?: string;
  /** Retention of the message topics it creates (ms). Default 1 hour: live traffic only. */
  readonly messageRetentionMs?: number;
  /** How long the first subscription of a namespace may wait for its consumer group (ms). Default 30,000. */
  readonly joinTimeoutMs?: number;
}

interface Subscriber {
  readonly identity: string;
  readonly onMessage: (message: InboundMessage) => void;
  active: boolean;
}

interface NamespaceReader {
  readonly tail: Promise<TopicTail>;
  readonly groupId: string;
  /** Subscribers by identity key: the demultiplexer. */
  readonly subscribers: Map<string, readonly Subscriber[]>;
}

/** Bytes per produce request at most (keeps each request well below max.message.bytes). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Records per produce request at most: kafkajs groups records in time quadratic in their number. */
const MAX_REQUEST_RECORDS = 2_000;

/**
 * Kafka messaging: one topic per namespace (`<prefix>.messages.<namespace>`), one record per
 * envelope keyed by the identity's token, a whole batch in one produce request. Each slot
 * instance reads a namespace's topic with one consumer in its own consumer group (so every
 * process sees every message) and hands each record to the local subscribers of its key.
 */
export function createKafkaMessaging(options: KafkaMessagingOptions = {}): MessagingSlot {
  return new KafkaMessaging(options);
}

class KafkaMessaging implements MessagingSlot {
  readonly supports = KAFKA_MESSAGING_SUPPORTS;
  readonly #options: KafkaMessagingOptions;
  readonly #kafka: Kafka;
  readonly #admin: TopicAdmin;
  readonly #prefix: string;
  readonly #groupId: string;
  readonly #partitions: number;
  readonly #requestTimeoutMs: number;
  #producer: Promise<Producer> | undefined;
  readonly #readers = new Map<string, NamespaceReader>();
  #closed = false;

  constructor(options: KafkaMessagingOptions) {
    this.#options = options;
    this.#kafka = createKafkaClient(options);
    this.#admin = new TopicAdmin(this.#kafka);
    this.#prefix = options.topicPrefix ?? 'muster';
    this.#groupId = options.groupId ?? `${this.#prefix}.subscriber.${randomUUID()}`;
    this.#partitions = options.partitions ?? 1;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  async publish(
    namespace: string,
    envelopes: readonly Envelope[],
    options: PublishOptions,
  ): Promise<readonly PublishResult[]> {
    if (this.#closed) throw closedError('messaging');
    if (options.mode !== 'at-most-once')
      throw new MusterError(
        'UNSUPPORTED',
        'kafka messaging has no acked delivery (supports.acked is false)',
      );
    if (options.signal?.aborted)
      return envelopes.map((e) => ({
        identity: e.identity,
        messageId: e.messageId,
        status: 'FAILED' as const,
        error: { code: 'CANCELLED', message: 'the publish was cancelled' },
      }));
    if (envelopes.length === 0) return [];
    const topic = this.#topic(namespace);
    await withTimeout(this.#ensureTopic(topic), this.#requestTimeoutMs, `creating ${topic}`);
    const producer = await this.#connectProducer();
    const partitions = this.#partitions;
    let chunk: Message[] = [];
    let bytes = 0;
    const chunks: Message[][] = [chunk];
    for (const envelope of envelopes) {
      const key = identityKey(envelope.identity);
      const size = envelope.payload.byteLength + key.length + 128;
      const full = bytes + size > MAX_REQUEST_BYTES || chunk.length >= MAX_REQUEST_RECORDS;
      if (full && chunk.length > 0) {
        chunk = [];
        bytes = 0;
        chunks.push(chunk);
      }
      chunk.push(envelopeRecord(envelope, key, partitionOf(key, partitions)));
      bytes += size;
    }
    try {
      // One produce request per chunk (normally the whole batch), in order: a broker handles the
      // requests of one connection in order, so per-identity order holds.
      for (const messages of chunks)
        await withTimeout(
          producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None }),
          this.#requestTimeoutMs,
          `publishing to ${topic}`,
        );
    } catch (error) {
      throw kafkaError(`publishing to ${topic}`, error);
    }
    return envelopes.map((e) => ({ identity: e.identity, messageId: e.messageId, status: 'SENT' }));
  }

  async subscribe(
    namespace: string,
    identity: string,
    onMessage: (message: InboundMessage) => void,
  ): Promise<Unsubscribe> {
    if (this.#closed) throw closedError('messaging');
    const key = identityKey(identity);
    const reader = this.#reader(namespace);
    const subscriber: Subscriber = { identity, onMessage, active: true };
    const current = reader.subscribers.get(key);
    reader.subscribers.set(key, current === undefined ? [subscriber] : [...current, subscriber]);
    try {
      await reader.tail;
    } catch (error) {
      this.#remove(reader, key, subscriber);
      throw error;
    }
    if (this.#closed) throw closedError('messaging');
    return async () => this.#remove(reader, key, subscriber);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const readers = [...this.#readers.values()];
    this.#readers.clear();
    for (const reader of readers)
      for (const list of reader.subscribers.values()) for (const s of list) s.active = false;
    await Promise.all(
      readers.map((reader) => reader.tail.then((tail) => tail.stop()).catch(() => {})),
    );
    // Generated groups are this instance's alone: delete them. A given groupId is kept, so a
    // restarted process resumes from its committed offsets.
    if (this.#options.groupId === undefined)
      await this.#admin.deleteGroups(readers.map((reader) => reader.groupId));
    await this.#admin.close();
    const producer = this.#producer;
    this.#producer = undefined;
    if (producer !== undefined) await producer.then((p) => p.disconnect()).catch(() => {});
  }

  #topic(namespace: string): string {
    return topicName(this.#prefix, 'messages', namespace);
  }

  #ensureTopic(topic: string): Promise<void> {
    return this.#admin.ensure(topic, {
      partitions: this.#partitions,
      replicationFactor: this.#options.replicationFactor ?? 1,
      configs: {
        'retention.ms': String(this.#options.messageRetentionMs ?? 60 * 60 * 1000),
        'max.message.bytes': String(16 * 1024 * 1024),
      },
    });
  }

  #connectProducer(): Promise<Producer> {
    if (this.#producer === undefined) {
      const producer = this.#kafka.producer({ allowAutoTopicCreation: false });
      const connected = withTimeout(producer.connect(), this.#requestTimeoutMs, 'connecting').then(
        () => producer,
        (error: unknown) => {
          this.#producer = undefined;
          void producer.disconnect().catch(() => {});
          throw kafkaError('connecting the producer', error);
        },
      );
      this.#producer = connected;
    }
    return this.#producer;
  }

  /** The namespace's reader, started by its first subscription. */
  #reader(namespace: string): NamespaceReader {
    let reader = this.#readers.get(namespace);
    if (reader !== undefined) return reader;
    const topic = this.#topic(namespace);
    const subscribers = new Map<string, readonly Subscriber[]>();
    const groupId = `${this.#groupId}.${identityKey(namespace)}`;
    const tail = this.#ensureTopic(topic).then(() =>
      TopicTail.start({
        kafka: this.#kafka,
        admin: this.#admin,
        topic,
        groupId,
        from: 'end',
        joinTimeoutMs: this.#options.joinTimeoutMs ?? 30_000,
        onRecords: (_partition, records) => deliver(subscribers, records),
      }),
    );
    reader = { tail, groupId, subscribers };
    this.#readers.set(namespace, reader);
    // A reader that failed to start is forgotten: the next subscription tries again.
    tail.catch(() => {
      if (this.#readers.get(namespace) === reader) this.#readers.delete(namespace);
    });
    return reader;
  }

  #remove(reader: NamespaceReader, key: string, subscriber: Subscriber): void {
    if (!subscriber.active) return;
    subscriber.active = false;
    const rest = (reader.subscribers.get(key) ?? []).filter((s) => s !== subscriber);
    if (rest.length > 0) reader.subscribers.set(key, rest);
    else reader.subscribers.delete(key);
  }
}

/** The demultiplexer: each record to the subscribers of its key; a throwing one harms nobody. */
function deliver(
  subscribers: ReadonlyMap<string, readonly Subscriber[]>,
  records: readonly KafkaMessage[],
): void {
  for (const record of records) {
    const key = record.key?.toString('utf8');
    if (key === undefined) continue;
    const list = subscribers.get(key);
    if (list === undefined) continue;
    const message = new SentMessage(recordEnvelope(record, list[0]!.identity));
    for (const subscriber of list) {
      if (!subscriber.active) continue;
      try {
        subscriber.onMessage(message);
      } catch {
        // The subscriber's failure is its own; the others still receive.
      }
    }
  }
}
