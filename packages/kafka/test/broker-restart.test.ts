// Fault test: the broker restarts (clean stop, start) during a stream of at-least-once multicasts
// through the coordinator. Every multicast reported QUEUED reaches every subscriber: nothing is
// lost, each identity sees the stream in order, and a duplicate is always the same message id.
import { createMemoryRegistry, createMuster, type Message } from '@muster/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafkaDurability, createKafkaMessaging } from '../src/index.js';
import { MANAGED_BROKER, startBroker, stopBroker } from './support/broker.js';
import { collect, text } from './support/collect.js';
import { deleteByPrefix, kafkaAvailable, uniquePrefix } from './support/kafka-test-env.js';

const prefix = uniquePrefix('restart');
const available = (await kafkaAvailable('broker-restart')) && MANAGED_BROKER;
const IDENTITIES = 20;
const MULTICASTS = 60;

describe.runIf(available)('kafka: broker restart during at-least-once multicasts', () => {
  afterAll(async () => {
    await startBroker();
    await deleteByPrefix(prefix);
  });

  it('loses nothing, keeps per-identity order, duplicates only with the same id', async () => {
    const namespace = 'fault';
    const messaging = createKafkaMessaging({ topicPrefix: prefix });
    const durability = createKafkaDurability({ topicPrefix: prefix });
    const muster = createMuster({
      registry: createMemoryRegistry(),
      messaging,
      durability,
      sweepIntervalMs: 0,
      // Long enough to ride out the restart: the coordinator retries UNAVAILABLE batches.
      namespaces: { [namespace]: { multicastTimeoutMs: 120_000, multicastRetries: 1_000 } },
    });
    try {
      const ids = Array.from({ length: IDENTITIES }, (_, i) => `device-${i}`);
      for (const identity of ids) await muster.register(namespace, { identity, ttlMs: 600_000 });
      const inboxes = await Promise.all(
        ids.map(async (id) => collect(await muster.subscribe(namespace, id))),
      );

      // The broker is down from just before stopBroker until startBroker resolves; multicasts run
      // continuously across that window, so some overlap it (asserted: the fault really hit).
      let downFrom = Number.POSITIVE_INFINITY;
      let downUntil = Number.POSITIVE_INFINITY;
      const restart = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        downFrom = Date.now();
        await stopBroker();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await startBroker();
        downUntil = Date.now();
      })();

      const queued: string[] = [];
      let duringRestart = 0;
      for (let i = 0; i < MULTICASTS || downUntil === Number.POSITIVE_INFINITY; i++) {
        const payload = `m-${String(i).padStart(3, '0')}`;
        const started = Date.now();
        const report = await muster.multicast(namespace, { payload, delivery: 'at-least-once' });
        expect(
          report.deliveries.filter((d) => d.status !== 'QUEUED'),
          `multicast ${i}`,
        ).toEqual([]);
        queued.push(payload);
        if (started <= downUntil && Date.now() >= downFrom) duringRestart++;
        await new Promise((resolve) =>
          setTimeout(resolve, downUntil === Number.POSITIVE_INFINITY ? 100 : 20),
        );
      }
      await restart;
      expect(duringRestart, 'multicasts overlapping the broker restart').toBeGreaterThan(0);

      let duplicates = 0;
      for (const [index, inbox] of inboxes.entries()) {
        const id = ids[index]!;
        await waitForAll(inbox.messages, queued.length, 90_000);
        const byId = new Map<string, string>();
        const firsts: string[] = [];
        for (const message of inbox.messages) {
          const seen = byId.get(message.messageId);
          if (seen === undefined) {
            byId.set(message.messageId, text(message));
            firsts.push(text(message));
          } else {
            duplicates++;
            expect(text(message), `a duplicate of ${message.messageId}`).toBe(seen);
          }
        }
        expect(firsts, `the messages of ${id}, in order, none lost`).toEqual(queued);
      }
      console.log(
        `[kafka] broker restart: ${queued.length} multicasts x ${IDENTITIES} identities all received in order; ` +
          `${duringRestart} multicasts overlapped the restart; ${duplicates} duplicates (same message id)`,
      );
    } finally {
      await muster.close();
      await Promise.all([messaging.close(), durability.close()]);
    }
  }, 300_000);
});

/** Waits until `count` distinct message ids have arrived. */
async function waitForAll(messages: Message[], count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (new Set(messages.map((m) => m.messageId)).size < count) {
    if (Date.now() > deadline) return; // the assertions say what is missing
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
