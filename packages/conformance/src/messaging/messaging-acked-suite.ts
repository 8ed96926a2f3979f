// Guarantees (supports.acked): an acked publish reports DELIVERED once a subscriber acks (without
// waiting for the timeout), TIMEOUT when no ack comes within timeoutMs, NO_SUBSCRIBER when nobody
// listens, each envelope on its own in a mixed batch; a late or repeated ack changes nothing; an
// abort signal ends the wait at once with FAILED (code CANCELLED) for what was not yet acked, or
// rejects with CANCELLED.
import { MusterError, type PublishResult } from '@muster/core';
import { expect } from 'vitest';
import { makeEnvelope } from '../support/make-envelope.js';
import { openInbox } from '../support/open-inbox.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { sleep } from '../support/wait-for.js';
import { type MessagingSuiteContext, withMessaging } from './messaging-suite-context.js';

/** Results of a publish that was aborted: resolved (FAILED/CANCELLED where unacked) or rejected. */
async function expectCancelled(
  publish: Promise<readonly PublishResult[]>,
  what: string,
): Promise<void> {
  let results: readonly PublishResult[];
  try {
    results = await publish;
  } catch (error) {
    expect(MusterError.is(error, 'CANCELLED'), `${what}: rejects with CANCELLED`).toBe(true);
    return;
  }
  for (const result of results) {
    if (result.status === 'DELIVERED' || result.status === 'NO_SUBSCRIBER') continue;
    expect(result.status, `${what}: ${result.identity}`).toBe('FAILED');
    expect(result.error?.code, `${what}: ${result.identity}`).toBe('CANCELLED');
  }
}

export function messagingAckedSuite(context: MessagingSuiteContext): void {
  const { test } = context;

  test('acked: DELIVERED when the subscriber acks, without waiting for the timeout', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('acked');
      await openInbox(slot, namespace, 'device', { ack: true });
      const started = Date.now();
      const results = await slot.publish(namespace, [makeEnvelope('device')], {
        mode: 'acked',
        timeoutMs: 10_000,
      });
      expect(results.map((r) => r.status)).toEqual(['DELIVERED']);
      expect(Date.now() - started, 'DELIVERED came before the timeout').toBeLessThan(8_000);
    });
  });

  test('acked: an ack from a later point in time (async subscriber) counts', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('acked-async');
      await slot.subscribe(namespace, 'device', (message) => {
        setTimeout(() => message.ack(), 30);
      });
      const results = await slot.publish(namespace, [makeEnvelope('device')], {
        mode: 'acked',
        timeoutMs: 5_000,
      });
      expect(results[0]!.status).toBe('DELIVERED');
    });
  });

  test('acked: TIMEOUT when no ack comes within timeoutMs', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('acked-timeout');
      const inbox = await openInbox(slot, namespace, 'silent');
      const started = Date.now();
      const results = await slot.publish(namespace, [makeEnvelope('silent')], {
        mode: 'acked',
        timeoutMs: 250,
      });
      const elapsed = Date.now() - started;
      expect(results.map((r) => r.status)).toEqual(['TIMEOUT']);
      expect(elapsed, 'waited for the timeout').toBeGreaterThanOrEqual(200);
      expect(elapsed, 'did not wait much beyond the timeout').toBeLessThan(3_000);
      expect(inbox.messages, 'the message was delivered, just not acked').toHaveLength(1);
      // A late ack changes nothing (and does not throw).
      expect(() => inbox.messages[0]!.ack()).not.toThrow();
    });
  });

  test('acked: NO_SUBSCRIBER when nobody listens, within the timeout', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('acked-nobody');
      const started = Date.now();
      const results = await slot.publish(namespace, [makeEnvelope('nobody')], {
        mode: 'acked',
        timeoutMs: 1_000,
      });
      expect(results.map((r) => r.status)).toEqual(['NO_SUBSCRIBER']);
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  });

  test('acked: a mixed batch settles each envelope on its own, together', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('acked-mixed');
      await openInbox(slot, namespace, 'acking', { ack: true });
      const silent = await openInbox(slot, namespace, 'silent');
      let acks = 0;
      await slot.subscribe(namespace, 'twice', (message) => {
        message.ack();
        message.ack();
        acks++;
      });
      const envelopes = ['acking', 'silent', 'nobody', 'twice', 'acking'].map((id) =>
        makeEnvelope(id),
      );
      const results = await slot.publish(namespace, envelopes, { mode: 'acked', timeoutMs: 1_000 });
      expect(results.map((r) => `${r.identity}:${r.status}`)).toEqual([
        'acking:DELIVERED',
        'silent:TIMEOUT',
        'nobody:NO_SUBSCRIBER',
        'twice:DELIVERED',
        'acking:DELIVERED',
      ]);
      expect(results.map((r) => r.messageId)).toEqual(envelopes.map((e) => e.messageId));
      expect(acks).toBe(1);
      expect(silent.messages).toHaveLength(1);
    });
  });

  test('acked: several subscriptions, one ack is enough', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('acked-several');
      await openInbox(slot, namespace, 'device');
      await openInbox(slot, namespace, 'device', { ack: true });
      const results = await slot.publish(namespace, [makeEnvelope('device')], {
        mode: 'acked',
        timeoutMs: 5_000,
      });
      expect(results[0]!.status).toBe('DELIVERED');
    });
  });

  test('acked: an abort signal ends the wait at once', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('acked-abort');
      await openInbox(slot, namespace, 'silent');
      await openInbox(slot, namespace, 'acking', { ack: true });
      const controller = new AbortController();
      const started = Date.now();
      const publish = slot.publish(namespace, [makeEnvelope('acking'), makeEnvelope('silent')], {
        mode: 'acked',
        timeoutMs: 20_000,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 100);
      await expectCancelled(publish, 'an aborted acked publish');
      expect(Date.now() - started, 'the abort ended the wait').toBeLessThan(5_000);
    });
  });

  test('acked: an already aborted signal delivers nothing as DELIVERED', async () => {
    await withMessaging(context, async (slot) => {
      const namespace = uniqueNamespace('acked-aborted');
      const inbox = await openInbox(slot, namespace, 'device');
      const results = slot.publish(namespace, [makeEnvelope('device')], {
        mode: 'acked',
        timeoutMs: 20_000,
        signal: AbortSignal.abort(),
      });
      await expectCancelled(results, 'a publish with an aborted signal');
      await sleep(20);
      expect(inbox.messages.length).toBeLessThanOrEqual(1);
    });
  });
}
