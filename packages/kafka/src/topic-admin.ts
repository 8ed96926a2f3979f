import type { Admin, Kafka } from 'kafkajs';
import { kafkaError } from './kafka-error.js';

/** Tries of a ListOffsets that kafkajs fails with a TypeError (a topic just created). */
const END_OFFSET_ATTEMPTS = 5;

export interface TopicSpec {
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic configs (retention.ms, max.message.bytes...). */
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * One admin connection per slot: creates topics through the admin API (never by auto-creation,
 * whose first produce fails with LEADER_NOT_AVAILABLE) and waits until every partition has a
 * leader, once per topic per slot.
 */
export class TopicAdmin {
  readonly #kafka: Kafka;
  #admin: Promise<Admin> | undefined;
  readonly #ready = new Map<string, Promise<void>>();

  constructor(kafka: Kafka) {
    this.#kafka = kafka;
  }

  /** Creates the topic when it does not exist; resolves once it can be produced to. */
  ensure(topic: string, spec: TopicSpec): Promise<void> {
    let ready = this.#ready.get(topic);
    if (ready === undefined) {
      ready = this.#create(topic, spec);
      this.#ready.set(topic, ready);
      // A failure is not cached: the next call tries again (the broker may be back).
      ready.catch(() => this.#ready.delete(topic));
    }
    return ready;
  }

  /** The next offset to be written, per partition (the high watermark). */
  async endOffsets(topic: string): Promise<Map<number, number>> {
    const admin = await this.#connect();
    for (let attempt = 1; ; attempt++) {
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
      } catch (error) {
        // Right after a topic is created a broker can answer ListOffsets without it, and kafkajs
        // then fails with a TypeError instead of an error code: refresh the metadata, try again.
        if (!(error instanceof TypeError) || attempt >= END_OFFSET_ATTEMPTS)
          throw kafkaError(`reading the end offsets of ${topic}`, error);
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
      }
    }
  }

  /** The group's committed offsets for the topic's partitions (partitions without one are absent). */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, number>> {
    const admin = await this.#connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map(
        (offsets?.partitions ?? [])
          .map((p) => [p.partition, Number(p.offset)] as const)
          .filter(([, offset]) => offset >= 0),
      );
    } catch (error) {
      throw kafkaError(`reading the offsets of group ${groupId}`, error);
    }
  }

  /** Deletes consumer groups (best effort: a group that is gone or busy is left alone). */
  async deleteGroups(groupIds: readonly string[]): Promise<void> {
    if (groupIds.length === 0 || this.#admin === undefined) return;
    try {
      const admin = await this.#admin;
      await admin.deleteGroups([...groupIds]);
    } catch {
      // Empty groups expire on their own (offsets.retention.minutes).
    }
  }

  async close(): Promise<void> {
    const admin = this.#admin;
    this.#admin = undefined;
    if (admin !== undefined) await admin.then((a) => a.disconnect()).catch(() => {});
  }

  #connect(): Promise<Admin> {
    if (this.#admin === undefined) {
      const admin = this.#kafka.admin();
      const connected = admin.connect().then(
        () => admin,
        (error: unknown) => {
          this.#admin = undefined;
          throw kafkaError('connecting the admin client', error);
        },
      );
      this.#admin = connected;
    }
    return this.#admin;
  }

  async #create(topic: string, spec: TopicSpec): Promise<void> {
    const admin = await this.#connect();
    // Until the topic is created and every partition has a leader, a broker can answer with a
    // retriable error (UNKNOWN_TOPIC_OR_PARTITION while its metadata catches up,
    // LEADER_NOT_AVAILABLE during the election): those are waited out, the rest thrown.
    let created = false;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!created) {
          // Resolves false when the topic exists (made by another slot at the same moment).
          await admin.createTopics({
            waitForLeaders: true,
            timeout: 10_000,
            topics: [
              {
                topic,
                numPartitions: spec.partitions,
                replicationFactor: spec.replicationFactor,
                configEntries: Object.entries(spec.configs).map(([name, value]) => ({
                  name,
                  value,
                })),
              },
            ],
          });
          created = true;
        }
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
        const partitions = metadata.topics[0]?.partitions ?? [];
        if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) return;
        if (attempt >= LEADER_ATTEMPTS) throw new Error(`topic ${topic} has no leader`);
      } catch (error) {
        if (!isRetriable(error) || attempt >= LEADER_ATTEMPTS)
          throw kafkaError(`creating topic ${topic}`, error);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Tries, 100 ms apart, before a topic without a leader (or still unknown) is an error. */
const LEADER_ATTEMPTS = 100;

/** Whether kafkajs marks the error as one that goes away when tried again. */
function isRetriable(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { readonly retriable?: unknown }).retriable === true
  );
}
