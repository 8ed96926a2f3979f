import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { BROKERS, brokerAnswers } from './broker.js';

/**
 * Whether this file can run: the broker answers. In CI an absent broker is a failure, never a
 * skip; locally the file skips and prints why.
 */
export async function kafkaAvailable(file: string): Promise<boolean> {
  if (await brokerAnswers(2_000)) return true;
  if (process.env.CI === 'true') throw new Error(`Kafka is unreachable at ${BROKERS.join(',')}`);
  console.warn(`[kafka] ${file}: skipped, no Kafka broker answers at ${BROKERS.join(',')}`);
  return false;
}

/** A topic prefix unique to this test run (topics and groups of one file never collide). */
export function uniquePrefix(name: string): string {
  return `muster-test-${name}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every topic and consumer group whose name starts with `prefix`. */
export async function deleteByPrefix(prefix: string): Promise<void> {
  const admin = new Kafka({ brokers: BROKERS, logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => g.startsWith(`${prefix}.`));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
