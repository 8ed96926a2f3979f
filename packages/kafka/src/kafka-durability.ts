import { randomUUID } from 'node:crypto';
import {
  checkRetention,
  DEFAULT_RETENTION,
  type DeliveryMark,
  type DurabilitySlot,
  type DurabilitySupports,
  type Envelope,
  type MulticastReport,
  MusterError,
  type QueuedMessage,
  type RetentionPolicy,
  type Unsubscribe,
} from '@muster/core';
import type { Kafka, Producer } from 'kafkajs';
import { AckBatcher } from './ack-batcher.js';
import { envelopeRecord } from './envelope-record.js';
import { createKafkaClient } from './kafka-client.js';
import { closedError, kafkaError, withTimeout } from './kafka-error.js';
import type { KafkaSlotOptions } from './kafka-slot-options.js';
import { partitionOf } from './partition-of.js';
import { PURGE_RECORD, QueueView } from './queue-view.js';
import { RecordWriter } from './record-writer.js';
import { ReportStore } from './report-store.js';
import { TopicAdmin } from './topic-admin.js';
import { identityKey, topicName } from './topic-name.js';
import { TopicTail } from './topic-tail.js';

/**
 * Retention by age (topic retention.ms, and at read) and length (at read); notify; shared;
 * multicast reports on two compacted topics per topic prefix.
 */
export const KAFKA_DURABILITY_SUPPORTS: DurabilitySupports = Object.freeze({
  retention: true,
  notify: true,
  distributed: true,
  reports: true,
});

/** The coordinator's longest report retention (7 days) plus an hour. */
const DEFAULT_REPORT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000 + 60 * 60 * 1000;

export interface KafkaDurabilityOptions extends KafkaSlotOptions {
  /**
   * Applied to every namespace: `maxAgeMs` becomes the queue topic's retention.ms (when this
   * slot creates it) and hides older messages at once; `maxLength` is applied as the log is
   * read. Default DEFAULT_RETENTION (7 days, 10,000 messages per identity).
   */
  readonly retention?: RetentionPolicy;
  /** How long the first call on a namespace may take to join its group and read the log (ms). Default 60,000. */
  readonly catchUpTimeoutMs?: number;
  /**
   * retention.ms of the report topics (when this slot creates them): the broker drops reports
   * and marks older than this even if no instance swept them. A report asked to live longer
   * is gone after this. Default 7 days + 1 hour (the coordinator's longest report retention).
   */
  readonly reportMaxAgeMs?: number;
}

interface NamespaceLog {
  readonly topic: string;
  readonly groupId: string;
  readonly tail: TopicTail;
  readonly view: QueueView;
  /** Per partition, the highest offset this slot has written (reads wait until it is applied). */
  readonly written: Map<number, number>;
}

/**
 * Kafka as the durability slot. Each namespace is one topic (`<prefix>.queue.<namespace>`):
 * messages keyed by identity, plus ack records (sequences) and purge records (a position) for
 * that identity, since Kafka cannot delete single records. Every slot instance reads the whole
 * topic from the beginning with its own consumer group and keeps the per-identity queues it
 * describes in memory (see QueueView): a sequence is the record's offset + 1, so sequences
 * grow per identity and are never reused. Reads wait until this instance's own writes are
 * applied (read-your-writes); other instances' writes arrive as the log is read, and wake
 * `onAvailable` listeners.
 */
export function createKafkaDurability(options: KafkaDurabilityOptions = {}): DurabilitySlot {
  return new KafkaDurability(options);
}

class KafkaDurability implements DurabilitySlot {
  readonly supports = KAFKA_DURABILITY_SUPPORTS;
  readonly #options: KafkaDurabilityOptions;
  readonly #kafka: Kafka;
  readonly #admin: TopicAdmin;
  readonly #writer: RecordWriter;
  readonly #acks: AckBatcher;
  readonly #prefix: string;
  readonly #instance = randomUUID();
  readonly #partitions: number;
  readonly #timeoutMs: number;
  readonly #maxAgeMs: number | undefined;
  readonly #maxLength: number;
  readonly #reports: ReportStore;
  #producer: Promise<Producer> | undefined;
  readonly #logs = new Map<string, Promise<NamespaceLog>>();
  #closed = false;

  constructor(options: KafkaDurabilityOptions) {
    const retention = checkRetention(options.retention ?? DEFAULT_RETENTION, {
      wholeMilliseconds: true,
    });
    this.#options = options;
    this.#kafka = createKafkaClient(options);
    this.#admin = new TopicAdmin(this.#kafka);
    this.#prefix = options.topicPrefix ?? 'muster';
    this.#partitions = options.partitions ?? 1;
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#maxAgeMs = retention.maxAgeMs;
    this.#maxLength = retention.maxLength ?? Number.POSITIVE_INFINITY;
    this.#writer = new RecordWriter(() => this.#connectProducer(), this.#timeoutMs);
    this.#acks = new AckBatcher(this.#writer);
    this.#reports = new ReportStore({
      kafka: this.#kafka,
      admin: this.#admin,
      writer: this.#writer,
      prefix: this.#prefix,
      instance: this.#instance,
      partitions: this.#partitions,
      replicationFactor: options.replicationFactor ?? 1,
      timeoutMs: this.#timeoutMs,
      catchUpTimeoutMs: options.catchUpTimeoutMs ?? 60_000,
      maxAgeMs: checkReportMaxAge(options.reportMaxAgeMs),
    });
  }

  async enqueue(
    namespace: string,
    envelopes: readonly Envelope[],
    _now: number,
  ): Promise<readonly number[]> {
    const log = await this.#log(namespace);
    if (envelopes.length === 0) return [];
    const partitions = this.#partitions;
    // The record timestamp is createdAt: the topic's retention.ms then ages messages as read does.
    const records = envelopes.map((envelope) => {
      const key = identityKey(envelope.identity);
      return envelopeRecord(envelope, key, partitionOf(key, partitions), envelope.createdAt);
    });
    const positions = await this.#write(log, records);
    return positions.map((position) => position.offset + 1);
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
    const log = await this.#log(namespace);
    const key = identityKey(identity);
    await this.#applied(log, key);
    if (limit === 0) return [];
    const minCreatedAt =
      this.#maxAgeMs === undefined ? Number.NEGATIVE_INFINITY : now - this.#maxAgeMs;
    return log.view.read(key, options.after ?? 0, limit, minCreatedAt);
  }

  async ack(namespace: string, identity: string, sequences: readonly number[]): Promise<void> {
    const log = await this.#log(namespace);
    if (sequences.length === 0) return;
    const key = identityKey(identity);
    await this.#applied(log, key);
    await this.#acks.ack(log.topic, partitionOf(key, this.#partitions), key, sequences);
    // Applied here at once (the log applies it again later, which changes nothing).
    log.view.ack(key, sequences);
  }

  async purge(namespace: string, identity: string): Promise<void> {
    const log = await this.#log(namespace);
    const key = identityKey(identity);
    const [position] = await this.#write(log, [
      {
        key,
        value: null,
        partition: partitionOf(key, this.#partitions),
        headers: { k: PURGE_RECORD },
      },
    ]);
    log.view.purge(key, position!.offset + 1);
  }

  async trim(namespace: string, now: number): Promise<void> {
    const log = await this.#log(namespace);
    if (this.#maxAgeMs !== undefined) log.view.trim(now - this.#maxAgeMs);
    await this.#reports.sweep(now);
  }

  async saveReport(namespace: string, report: MulticastReport, expiresAt: number): Promise<void> {
    if (this.#closed) throw closedError('durability');
    await this.#reports.save(namespace, report, expiresAt);
  }

  async markDelivered(
    namespace: string,
    marks: readonly DeliveryMark[],
    now: number,
  ): Promise<void> {
    if (this.#closed) throw closedError('durability');
    await this.#reports.mark(namespace, marks, now);
  }

  async loadReport(
    namespace: string,
    multicastId: string,
    now: number,
  ): Promise<MulticastReport | undefined> {
    if (this.#closed) throw closedError('durability');
    return this.#reports.load(namespace, multicastId, now);
  }

  async onAvailable(
    namespace: string,
    identity: string,
    listener: () => void,
  ): Promise<Unsubscribe> {
    const log = await this.#log(namespace);
    const stop = log.view.listen(identityKey(identity), listener);
    return async () => stop();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const logs = await Promise.all(
      [...this.#logs.values()].map((log) => log.catch(() => undefined)),
    );
    this.#logs.clear();
    await Promise.all([...logs.map((log) => log?.tail.stop()), this.#reports.close()]);
    await this.#admin.deleteGroups(logs.flatMap((log) => (log === undefined ? [] : [log.groupId])));
    await this.#admin.close();
    const producer = this.#producer;
    this.#producer = undefined;
    if (producer !== undefined) await producer.then((p) => p.disconnect()).catch(() => {});
  }

  /** Writes records to the namespace's topic and remembers how far this instance has written. */
  async #write(log: NamespaceLog, records: Parameters<RecordWriter['write']>[1]) {
    const positions = await this.#writer.write(log.topic, records);
    for (const { partition, offset } of positions)
      if (offset > (log.written.get(partition) ?? -1)) log.written.set(partition, offset);
    return positions;
  }

  /** Waits until this instance's writes to the identity's partition are in its view. */
  async #applied(log: NamespaceLog, key: string): Promise<void> {
    const partition = partitionOf(key, this.#partitions);
    const written = log.written.get(partition);
    if (written !== undefined) await log.tail.waitFor(partition, written, this.#timeoutMs);
  }

  /** The namespace's log: topic created, consumer joined, everything before now applied. */
  #log(namespace: string): Promise<NamespaceLog> {
    if (this.#closed) return Promise.reject(closedError('durability'));
    let log = this.#logs.get(namespace);
    if (log === undefined) {
      log = this.#open(namespace);
      this.#logs.set(namespace, log);
      log.catch(() => {
        if (this.#logs.get(namespace) === log) this.#logs.delete(namespace);
      });
    }
    return log;
  }

  async #open(namespace: string): Promise<NamespaceLog> {
    const topic = topicName(this.#prefix, 'queue', namespace);
    const groupId = `${this.#prefix}.queue-reader.${this.#instance}.${identityKey(namespace)}`;
    const timeoutMs = this.#options.catchUpTimeoutMs ?? 60_000;
    await withTimeout(
      this.#admin.ensure(topic, {
        partitions: this.#partitions,
        replicationFactor: this.#options.replicationFactor ?? 1,
        configs: {
          'retention.ms': String(this.#maxAgeMs ?? -1),
          'max.message.bytes': String(16 * 1024 * 1024),
          'message.timestamp.type': 'CreateTime',
        },
      }),
      this.#timeoutMs,
      `creating ${topic}`,
    );
    const view = new QueueView(this.#maxLength);
    const tail = await TopicTail.start({
      kafka: this.#kafka,
      admin: this.#admin,
      topic,
      groupId,
      from: 'beginning',
      joinTimeoutMs: timeoutMs,
      onRecords: (_partition, records) => view.apply(records),
    });
    try {
      await tail.catchUp(timeoutMs);
    } catch (error) {
      await tail.stop();
      throw kafkaError(`reading ${topic}`, error);
    }
    if (this.#closed) {
      await tail.stop();
      throw closedError('durability');
    }
    return { topic, groupId, tail, view, written: new Map() };
  }

  #connectProducer(): Promise<Producer> {
    if (this.#closed) return Promise.reject(closedError('durability'));
    if (this.#producer === undefined) {
      const producer = this.#kafka.producer({ allowAutoTopicCreation: false });
      const connected = withTimeout(producer.connect(), this.#timeoutMs, 'connecting').then(
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
}

function checkReportMaxAge(value: number | undefined): number {
  if (value === undefined) return DEFAULT_REPORT_MAX_AGE_MS;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new MusterError(
      'INVALID_ARGUMENT',
      `reportMaxAgeMs must be a positive whole number of milliseconds, not ${value}`,
      { details: { field: 'reportMaxAgeMs' } },
    );
  return value;
}
