// A slot built on a connection its caller owns uses it and leaves it open on close.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expect, it } from 'vitest';
import { createJetStreamDurability, createNatsMessaging } from '../src/index.js';
import { NATS_URL, natsReachable, uniquePrefix } from './support/nats-url.js';

const reachable = await natsReachable();

it.runIf(reachable)('slots on a given connection never close it', async () => {
  const connection = await connect({ servers: NATS_URL });
  const prefix = uniquePrefix('given');
  try {
    const messaging = await createNatsMessaging({ connection, subjectPrefix: prefix });
    const durability = await createJetStreamDurability({ connection, subjectPrefix: prefix });
    const got: string[] = [];
    await messaging.subscribe('ns', 'a', (message) => got.push(message.envelope.messageId));
    const envelope = {
      messageId: 'g-1',
      multicastId: 'g',
      identity: 'a',
      payload: new Uint8Array([1]),
      contentType: 'application/octet-stream',
      attempt: 1,
      createdAt: Date.now(),
    };
    await messaging.publish('ns', [envelope], { mode: 'at-most-once', timeoutMs: 1_000 });
    const [sequence] = await durability.enqueue('ns', [envelope], Date.now());
    expect(
      (await durability.read('ns', 'a', { limit: 5 }, Date.now())).map((m) => m.sequence),
    ).toEqual([sequence]);
    await messaging.close();
    await durability.close();
    expect(got).toEqual(['g-1']);
    expect(connection.isClosed()).toBe(false);
    await connection.flush();
    const manager = await jetstreamManager(connection);
    await manager.streams.delete(`${prefix}_Q_ns`);
  } finally {
    await connection.close();
  }
});
