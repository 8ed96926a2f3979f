import { Kafka, logLevel } from 'kafkajs';
import { type KafkaSlotOptions, resolveBrokers } from './kafka-slot-options.js';

/**
 * A kafkajs client with settings for a latency-sensitive slot: short connection timeouts and
 * bounded retries (a write to a broker that is gone fails within `requestTimeoutMs` instead of
 * retrying for half a minute), and no kafkajs logging (errors surface as MusterErrors).
 */
export function createKafkaClient(options: KafkaSlotOptions): Kafka {
  const requestTimeout = Math.min(options.requestTimeoutMs ?? 10_000, 30_000);
  return new Kafka({
    clientId: options.clientId ?? 'muster',
    brokers: resolveBrokers(options),
    connectionTimeout: 2_000,
    requestTimeout,
    retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 5 },
    logLevel: logLevel.NOTHING,
    ...options.kafka,
  });
}
