// A messaging slot with a stable groupId resumes from its committed offsets: what was published
// while the process was away arrives when it subscribes again.
import { randomUUID } from 'node:crypto';
import type { Envelope, MessagingSlot } from '@muster/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaMessaging } from '../src/index.js';
import { deleteByPrefix, kafkaAvailable, uniquePrefix } from './support/kafka-test-env.js';

const prefix = uniquePrefix('stable');
const available = await kafkaAvailable('stable-group');

function envelope(identity: string, text: string): Envelope {
  return {
    messageId: randomUUID(),
    multicastId: randomUUID(),
    identity,
    payload: new TextEncoder().encode(text),
    contentType: 'text/plain',
    attempt: 1,
    createdAt: Date.now(),
  };
}

async function receive(slot: MessagingSlot, namespace: string, into: string[]) {
  return slot.subscribe(namespace, 'device', (message) =>
    into.push(new TextDecoder().decode(message.envelope.payload)),
  );
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.runIf(available)('kafka messaging: a stable groupId', () => {
  afterAll(() => deleteByPrefix(prefix));

  it('resumes from the committed offsets after a restart', async () => {
    const namespace = 'stable';
    const groupId = `${prefix}.process-1`;
    const publisher = createKafkaMessaging({ topicPrefix: prefix });
    const first: string[] = [];
    const before = createKafkaMessaging({ topicPrefix: prefix, groupId });
    await receive(before, namespace, first);
    await publisher.publish(namespace, [envelope('device', 'one')], {
      mode: 'at-most-once',
      timeoutMs: 1_000,
    });
    await until(() => first.length === 1, 'the first message');
    // Let the periodic commit happen, then "restart the process".
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await before.close();
    await publisher.publish(namespace, [envelope('device', 'while away')], {
      mode: 'at-most-once',
      timeoutMs: 1_000,
    });
    const second: string[] = [];
    const after = createKafkaMessaging({ topicPrefix: prefix, groupId });
    try {
      await receive(after, namespace, second);
      await until(() => second.length >= 1, 'the message published while away');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(second).toEqual(['while away']);
    } finally {
      await after.close();
      await publisher.close();
    }
  });
});
