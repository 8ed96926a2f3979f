import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { kafkaError } from './kafka-error.js';
import type { TopicAdmin } from './topic-admin.js';

export interface TopicTailOptions {
  readonly kafka: Kafka;
  readonly admin: TopicAdmin;
  readonly topic: string;
  /** A group of this tail alone: it must receive every record of the topic. */
  readonly groupId: string;
  /**
   * 'end': records written after `start` began (a group without committed offsets seeks to
   * the end offsets read before it joins, so nothing written after that is skipped; one with
   * committed offsets resumes there). 'beginning': the whole log.
   */
  readonly from: 'end' | 'beginning';
  /** New records of one partition, in offset order, each exactly once per tail. */
  readonly onRecords: (partition: number, records: readonly KafkaMessage[]) => void;
  readonly joinTimeoutMs: number;
}

interface Waiter {
  readonly partition: number;
  readonly offset: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * One topic read by one consumer in its own consumer group. Offsets are committed as batches
 * are handled (at-least-once): after a broker restart or a rebalance the consumer resumes from
 * the committed offset, and records it has handled already are skipped here by offset, so
 * `onRecords` sees each record once. `waitFor` resolves once a given offset has been handled.
 */
export class TopicTail {
  readonly #options: TopicTailOptions;
  readonly #consumer: Consumer;
  /** Next offset to hand out, per partition. */
  readonly #next = new Map<number, number>();
  #waiters: Waiter[] = [];
  #stopped = false;

  private constructor(options: TopicTailOptions) {
    this.#options = options;
    this.#consumer = options.kafka.consumer({
      groupId: options.groupId,
      // Fast joins and quick failure detection: one member per group, so no rebalance storms.
      sessionTimeout: 10_000,
      rebalanceTimeout: 10_000,
      heartbeatInterval: 1_000,
      // A fetch returns as soon as a record is there; this only bounds an idle long-poll.
      maxWaitTimeInMs: 250,
      maxBytesPerPartition: 16 * 1024 * 1024,
      maxBytes: 64 * 1024 * 1024,
      allowAutoTopicCreation: false,
      retry: {
        initialRetryTime: 200,
        maxRetryTime: 2_000,
        retries: 10,
        // A consumer that crashes (broker gone for long) starts again rather than giving up.
        restartOnFailure: async () => true,
      },
    });
  }

  /** Starts consuming; resolves once the consumer has joined its group. */
  static async start(options: TopicTailOptions): Promise<TopicTail> {
    const tail = new TopicTail(options);
    try {
      await tail.#start();
    } catch (error) {
      await tail.stop();
      throw kafkaError(`starting a consumer for ${options.topic}`, error);
    }
    return tail;
  }

  /** Resolves once the record at `offset` of `partition` has been handed out. */
  waitFor(partition: number, offset: number, timeoutMs: number): Promise<void> {
    if (this.#handled(partition, offset)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(
          kafkaError(
            `reading ${this.#options.topic}`,
            new Error(`no record ${offset} after ${timeoutMs} ms`),
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = { partition, offset, resolve, reject, timer };
      this.#waiters.push(waiter);
    });
  }

  /** Resolves once every record written before this call has been handed out. */
  async catchUp(timeoutMs: number): Promise<void> {
    const ends = await this.#options.admin.endOffsets(this.#options.topic);
    await Promise.all(
      [...ends]
        .filter(([, end]) => end > 0)
        .map(([partition, end]) => this.waitFor(partition, end - 1, timeoutMs)),
    );
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(kafkaError('reading', new Error('the consumer stopped')));
    }
    this.#waiters = [];
    await this.#consumer.disconnect().catch(() => {});
  }

  async #start(): Promise<void> {
    const { admin, topic, from, joinTimeoutMs } = this.#options;
    let ends: Map<number, number> | undefined;
    if (from === 'end') {
      // A group that has committed offsets (a stable group id after a restart) resumes there.
      const committed = await admin.committedOffsets(this.#options.groupId, topic);
      ends = await admin.endOffsets(topic);
      for (const partition of committed.keys()) ends.delete(partition);
      for (const [partition, end] of ends) this.#next.set(partition, end);
    }
    const consumer = this.#consumer;
    let removeListener: (() => void) | undefined;
    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no group join within ${joinTimeoutMs} ms`)),
        joinTimeoutMs,
      );
      removeListener = consumer.on(consumer.events.GROUP_JOIN, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: from === 'beginning' });
      const running = consumer.run({
        autoCommitInterval: 1_000,
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }) => this.#handle(batch.partition, batch.messages),
      });
      // Seeks made before the first fetch set where a new group starts: the end offsets read
      // before `run`, so a record written after `start` began is never skipped (kafkajs's own
      // admin.setOffsets works the same way, but waits out a whole idle fetch).
      if (ends !== undefined)
        for (const [partition, offset] of ends)
          consumer.seek({ topic, partition, offset: String(offset) });
      await running;
      await joined;
      // Commit the start position too: a consumer that kafkajs restarts (after the broker was
      // gone) before it has committed anything would otherwise start from the end again and
      // skip what was written in between.
      if (ends !== undefined)
        await consumer
          .commitOffsets(
            [...ends].map(([partition, offset]) => ({ topic, partition, offset: String(offset) })),
          )
          // Best effort: the seek already holds; this only narrows a rare restart window.
          .catch(() => undefined);
    } finally {
      removeListener?.();
    }
  }

  #handle(partition: number, records: readonly KafkaMessage[]): void {
    if (this.#stopped || records.length === 0) return;
    const next = this.#next.get(partition) ?? 0;
    let fresh = records;
    if (Number(records[0]!.offset) < next) fresh = records.filter((r) => Number(r.offset) >= next);
    if (fresh.length > 0) {
      this.#next.set(partition, Number(fresh[fresh.length - 1]!.offset) + 1);
      this.#options.onRecords(partition, fresh);
    }
    if (this.#waiters.length > 0) this.#settleWaiters();
  }

  #handled(partition: number, offset: number): boolean {
    return (this.#next.get(partition) ?? 0) > offset;
  }

  #settleWaiters(): void {
    const waiting: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (this.#handled(waiter.partition, waiter.offset)) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      } else waiting.push(waiter);
    }
    this.#waiters = waiting;
  }
}
