import type { KafkaConfig } from 'kafkajs';

/** Connection and layout options shared by the Kafka messaging and durability slots. */
export interface KafkaSlotOptions {
  /** Broker addresses. Default: KAFKA_BROKERS (comma-separated), else `127.0.0.1:9092`. */
  readonly brokers?: readonly string[];
  /** kafkajs client id (shows in broker logs and quotas). Default `muster`. */
  readonly clientId?: string;
  /**
   * First part of every topic and consumer group name this slot creates. Default `muster`.
   * Slots that share queues or messages must use the same prefix.
   */
  readonly topicPrefix?: string;
  /** Partitions of the topics this slot creates (an identity always maps to one). Default 1. */
  readonly partitions?: number;
  /** Replication factor of the topics this slot creates. Default 1 (a single test broker). */
  readonly replicationFactor?: number;
  /**
   * How long one write to the broker may take before it fails with UNAVAILABLE (ms), retries
   * included. Default 10,000.
   */
  readonly requestTimeoutMs?: number;
  /** Anything else for the kafkajs client (ssl, sasl, socketFactory...). */
  readonly kafka?: Partial<KafkaConfig>;
}

/** Broker list from the options, else KAFKA_BROKERS, else the loopback test broker. */
export function resolveBrokers(options: KafkaSlotOptions): string[] {
  if (options.brokers !== undefined && options.brokers.length > 0) return [...options.brokers];
  const fromEnv = process.env.KAFKA_BROKERS?.split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  return fromEnv !== undefined && fromEnv.length > 0 ? fromEnv : ['127.0.0.1:9092'];
}
