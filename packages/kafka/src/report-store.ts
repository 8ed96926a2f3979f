import type { DeliveryMark, MulticastReport } from '@muster/core';
import type { Kafka, Message } from 'kafkajs';
import { kafkaError, withTimeout } from './kafka-error.js';
import { partitionOf } from './partition-of.js';
import type { RecordWriter } from './record-writer.js';
import { markKey, reportKey } from './report-keys.js';
import { encodeReportValue } from './report-value.js';
import { EXPIRES_AT_HEADER, ReportView } from './report-view.js';
import type { TopicAdmin } from './topic-admin.js';
import { TopicTail } from './topic-tail.js';

export interface ReportStoreOptions {
  readonly kafka: Kafka;
  readonly admin: TopicAdmin;
  readonly writer: RecordWriter;
  readonly prefix: string;
  /** Unique per slot instance: names its consumer groups. */
  readonly instance: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly timeoutMs: number;
  readonly catchUpTimeoutMs: number;
  /** retention.ms of both topics: the broker's own bound on a report's life. */
  readonly maxAgeMs: number;
}

/** How far past its expiresAt (by the trimming caller's clock) an entry is tombstoned. */
const EXPIRY_MARGIN_MS = 60_000;
/** Sweeps of the view run at most this often per slot instance. */
const SWEEP_INTERVAL_MS = 30_000;

interface Reader {
  readonly view: ReportView;
  readonly tails: readonly TopicTail[];
  readonly groupIds: readonly string[];
}

/**
 * Multicast reports on two compacted topics per topic prefix: `<prefix>.reports` (key
 * `<namespace>/<multicastId>`, value the report in columns, a re-save replaces it) and
 * `<prefix>.report-marks` (key `<namespace>/<multicastId>/<identity>`, value the mark's
 * expiresAt: marking twice writes the same key again). Saves and marks are blind writes in one
 * produce request (acks=all), group-committed with the slot's other writes. Loads answer from
 * a view this instance builds by reading both topics from the beginning, after it has caught
 * up with their end offsets as they were when the load began: read-your-writes, and reports
 * saved by any other instance.
 */
export class ReportStore {
  readonly #options: ReportStoreOptions;
  readonly #reportsTopic: string;
  readonly #marksTopic: string;
  #topics: Promise<void> | undefined;
  #reader: Promise<Reader> | undefined;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: ReportStoreOptions) {
    this.#options = options;
    this.#reportsTopic = `${options.prefix}.reports`;
    this.#marksTopic = `${options.prefix}.report-marks`;
  }

  async save(namespace: string, report: MulticastReport, expiresAt: number): Promise<void> {
    const value = encodeReportValue(report);
    await this.#ensureTopics();
    const key = reportKey(namespace, report.multicastId);
    await this.#options.writer.write(this.#reportsTopic, [
      {
        key,
        value,
        partition: partitionOf(key, this.#options.partitions),
        headers: { id: report.multicastId, [EXPIRES_AT_HEADER]: String(expiresAt) },
      },
    ]);
  }

  async mark(namespace: string, marks: readonly DeliveryMark[], now: number): Promise<void> {
    const records = new Map<string, Message>();
    for (const mark of marks) {
      // A mark past its own expiry has nothing left to wait for.
      if (now >= mark.expiresAt) continue;
      const report = reportKey(namespace, mark.multicastId);
      const key = markKey(report, mark.identity);
      records.set(key, {
        key,
        value: String(mark.expiresAt),
        partition: partitionOf(report, this.#options.partitions),
      });
    }
    if (records.size === 0) return;
    await this.#ensureTopics();
    await this.#options.writer.write(this.#marksTopic, [...records.values()]);
  }

  async load(
    namespace: string,
    multicastId: string,
    now: number,
  ): Promise<MulticastReport | undefined> {
    const reader = await this.#openReader();
    const timeoutMs = this.#options.timeoutMs;
    await Promise.all(reader.tails.map((tail) => tail.catchUp(timeoutMs)));
    return reader.view.load(reportKey(namespace, multicastId), now);
  }

  /**
   * Drops entries expired for more than a minute by `now` from the view and writes their
   * tombstones, so compaction frees them before retention.ms would. At most every 30 s, and
   * only once this instance reads the topics.
   */
  async sweep(now: number): Promise<void> {
    if (this.#reader === undefined || now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    const { view } = await this.#reader;
    const expired = view.dropExpired(now - EXPIRY_MARGIN_MS);
    const { writer, partitions } = this.#options;
    const tombstone = (key: string, partitionKey: string): Message => ({
      key,
      value: null,
      partition: partitionOf(partitionKey, partitions),
    });
    await Promise.all([
      writer.write(
        this.#reportsTopic,
        expired.reports.map((key) => tombstone(key, key)),
      ),
      writer.write(
        this.#marksTopic,
        expired.marks.map(({ report, identity }) => tombstone(markKey(report, identity), report)),
      ),
    ]);
  }

  /** Stops the consumers and deletes their groups. */
  async close(): Promise<void> {
    const reader = await this.#reader?.catch(() => undefined);
    this.#reader = undefined;
    if (reader === undefined) return;
    await Promise.all(reader.tails.map((tail) => tail.stop()));
    reader.view.clear();
    await this.#options.admin.deleteGroups(reader.groupIds);
  }

  #ensureTopics(): Promise<void> {
    if (this.#topics === undefined) {
      const { admin, partitions, replicationFactor, maxAgeMs, timeoutMs } = this.#options;
      const spec = {
        partitions,
        replicationFactor,
        configs: {
          // Compaction keeps the last record per key; deletion by age bounds what nobody swept.
          'cleanup.policy': 'compact,delete',
          'retention.ms': String(maxAgeMs),
          'segment.ms': String(Math.min(maxAgeMs, 24 * 60 * 60 * 1000)),
          'max.message.bytes': String(16 * 1024 * 1024),
          'message.timestamp.type': 'CreateTime',
        },
      };
      const topics = withTimeout(
        Promise.all([
          admin.ensure(this.#reportsTopic, spec),
          admin.ensure(this.#marksTopic, spec),
        ]).then(() => undefined),
        timeoutMs,
        'creating the report topics',
      );
      this.#topics = topics;
      topics.catch(() => {
        if (this.#topics === topics) this.#topics = undefined;
      });
    }
    return this.#topics;
  }

  #openReader(): Promise<Reader> {
    if (this.#reader === undefined) {
      const reader = this.#startReader();
      this.#reader = reader;
      reader.catch(() => {
        if (this.#reader === reader) this.#reader = undefined;
      });
    }
    return this.#reader;
  }

  async #startReader(): Promise<Reader> {
    await this.#ensureTopics();
    const { kafka, admin, prefix, instance, catchUpTimeoutMs } = this.#options;
    const view = new ReportView();
    const groupIds = [`${prefix}.report-reader.${instance}`, `${prefix}.mark-reader.${instance}`];
    const started = await Promise.allSettled([
      TopicTail.start({
        kafka,
        admin,
        topic: this.#reportsTopic,
        groupId: groupIds[0]!,
        from: 'beginning',
        joinTimeoutMs: catchUpTimeoutMs,
        onRecords: (_partition, records) => view.applyReports(records),
      }),
      TopicTail.start({
        kafka,
        admin,
        topic: this.#marksTopic,
        groupId: groupIds[1]!,
        from: 'beginning',
        joinTimeoutMs: catchUpTimeoutMs,
        onRecords: (_partition, records) => view.applyMarks(records),
      }),
    ]);
    const tails = started.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(tails.map((tail) => tail.stop()));
      throw kafkaError('reading the report topics', failed.reason);
    }
    try {
      // The first read replays both topics, which may take longer than one request.
      await Promise.all(tails.map((tail) => tail.catchUp(catchUpTimeoutMs)));
    } catch (error) {
      await Promise.all(tails.map((tail) => tail.stop()));
      throw kafkaError('reading the report topics', error);
    }
    return { view, tails, groupIds };
  }
}
