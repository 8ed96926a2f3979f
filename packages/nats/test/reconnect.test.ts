// Server restarts under the slots themselves: while the server is down every operation fails
// with UNAVAILABLE within the operation timeout (never hangs); after it is back the same slot
// works again, its subscriptions and onAvailable listeners receive again (nats.js re-subscribes
// by itself), and the durable queue still holds what was stored before the restart.
import { type Envelope, MusterError } from '@muster/core';
import { afterAll, expect, it } from 'vitest';
import { createJetStreamDurability, createNatsMessaging } from '../src/index.js';
import { NatsServerProcess } from './support/nats-server-process.js';
import { uniquePrefix } from './support/nats-url.js';

const server = await NatsServerProcess.launch();
afterAll(() => server.destroy());

let counter = 0;
function envelope(identity: string, text: string): Envelope {
  counter++;
  return {
    messageId: `r-${counter}`,
    multicastId: `rm-${counter}`,
    identity,
    payload: new TextEncoder().encode(text),
    contentType: 'text/plain',
    attempt: 1,
    createdAt: Date.now(),
  };
}

async function expectUnavailable(operation: Promise<unknown>, what: string): Promise<void> {
  const started = Date.now();
  const outcome = await operation.then(
    () => 'resolved',
    (error: unknown) => error,
  );
  expect(MusterError.is(outcome, 'UNAVAILABLE'), `${what}: ${String(outcome)}`).toBe(true);
  expect(Date.now() - started, `${what} failed within the operation timeout`).toBeLessThan(3_000);
}

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (
    !(await Promise.resolve()
      .then(check)
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('durability and messaging: UNAVAILABLE while the server is down, working again after', async () => {
  const prefix = uniquePrefix('reconnect');
  const options = { servers: server.url, subjectPrefix: prefix, operationTimeoutMs: 2_000 };
  const durability = await createJetStreamDurability(options);
  const messaging = await createNatsMessaging(options);
  try {
    const namespace = 'restart';
    const [first] = await durability.enqueue(namespace, [envelope('a', 'before')], Date.now());
    let notified = 0;
    await durability.onAvailable!(namespace, 'a', () => {
      notified++;
    });
    const live: string[] = [];
    await messaging.subscribe(namespace, 'a', (message) => {
      live.push(new TextDecoder().decode(message.envelope.payload));
    });

    await server.stop();
    await eventually(
      () =>
        messaging
          .publish(namespace, [envelope('a', 'x')], { mode: 'at-most-once', timeoutMs: 100 })
          .then(
            () => false,
            () => true,
          ),
      'the slot to notice the disconnect',
    );
    await expectUnavailable(
      durability.enqueue(namespace, [envelope('a', 'during')], Date.now()),
      'enqueue while down',
    );
    await expectUnavailable(
      durability.read(namespace, 'a', { limit: 10 }, Date.now()),
      'read while down',
    );
    await expectUnavailable(durability.ack(namespace, 'a', [first!]), 'ack while down');
    await expectUnavailable(
      messaging.publish(namespace, [envelope('a', 'during')], { mode: 'acked', timeoutMs: 500 }),
      'acked publish while down',
    );
    await expectUnavailable(
      messaging.subscribe(namespace, 'b', () => {}),
      'subscribe while down',
    );

    await server.start();
    // The message stored before the restart is still there (file storage).
    await eventually(
      async () =>
        (await durability.read(namespace, 'a', { limit: 10 }, Date.now())).some(
          (m) => m.sequence === first,
        ),
      'the stored message after the restart',
    );
    const before = notified;
    await eventually(async () => {
      await durability.enqueue(namespace, [envelope('a', 'after')], Date.now());
      return notified > before;
    }, 'a notification after the restart');
    await eventually(async () => {
      await messaging.publish(namespace, [envelope('a', 'after')], {
        mode: 'at-most-once',
        timeoutMs: 1_000,
      });
      return live.includes('after');
    }, 'a live message on the old subscription');
    const texts = (await durability.read(namespace, 'a', { limit: 100 }, Date.now())).map((m) =>
      new TextDecoder().decode(m.envelope.payload),
    );
    expect(texts[0]).toBe('before');
    expect(texts).not.toContain('during');
    expect(texts).toContain('after');
  } finally {
    await messaging.close();
    await durability.close();
  }
}, 90_000);
