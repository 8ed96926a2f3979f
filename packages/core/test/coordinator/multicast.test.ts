import { describe, expect, test } from 'vitest';
import type { Muster, Subscription } from '../../src/coordinator/muster-api.js';
import { MusterError } from '../../src/errors/muster-error.js';
import { createMemoryDurability } from '../../src/memory/durability/create-memory-durability.js';
import { settle, TestMessaging, TestRegistry, take, text, unavailable } from './support/slots.js';
import { useMusters } from './support/use-musters.js';

const open = useMusters();

async function registerAll(muster: Muster, identities: readonly string[], namespace = 'ns') {
  for (const [i, identity] of identities.entries())
    await muster.register(namespace, { identity, metadata: { i, even: i % 2 === 0 } });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (MusterError.is(error)) return error.code;
    throw error;
  }
  return 'no error';
}

/** Acks every message it receives, in the background. */
function ackAll(subscription: Subscription): void {
  void (async () => {
    for await (const message of subscription) await message.ack();
  })();
}

describe('multicast at-most-once', { timeout: 10_000 }, () => {
  test('SENT to subscribers, NO_SUBSCRIBER to the rest, sorted by identity, never DELIVERED', async () => {
    const muster = open();
    await registerAll(muster, ['c', 'a', 'b', 'B']);
    const inbox = await muster.subscribe('ns', 'b');
    const report = await muster.multicast('ns', { payload: 'hello' });
    expect(report.targetCount).toBe(4);
    expect(report.deliveredCount).toBe(0);
    expect(report.deliveries.map((d) => [d.identity, d.status])).toEqual([
      ['B', 'NO_SUBSCRIBER'],
      ['a', 'NO_SUBSCRIBER'],
      ['b', 'SENT'],
      ['c', 'NO_SUBSCRIBER'],
    ]);
    expect(report.multicastId).toMatch(/^[0-9a-f-]{36}$/);
    const [message] = await take(inbox, 1);
    expect(message).toMatchObject({
      identity: 'b',
      multicastId: report.multicastId,
      contentType: 'text/plain; charset=utf-8',
      attempt: 1,
    });
    expect(text(message!)).toBe('hello');
    await message!.ack();
  });

  test('targets follow the filter; none matching is an empty report', async () => {
    const muster = open();
    await registerAll(muster, ['a', 'b', 'c', 'd']);
    const report = await muster.multicast('ns', {
      filter: 'even == true',
      payload: new Uint8Array([1]),
    });
    expect(report.deliveries.map((d) => d.identity)).toEqual(['a', 'c']);
    const none = await muster.multicast('ns', { filter: { i: 99 }, payload: 'x' });
    expect(none).toMatchObject({ targetCount: 0, deliveredCount: 0, deliveries: [] });
    expect(await codeOf(muster.multicast('ns', { filter: 'i <', payload: 'x' }))).toBe(
      'INVALID_FILTER',
    );
  });

  test('bytes are copied at publish, and the default content type is octet-stream', async () => {
    const muster = open();
    await registerAll(muster, ['a']);
    const inbox = await muster.subscribe('ns', 'a');
    const payload = new Uint8Array([1, 2, 3]);
    await muster.multicast('ns', { payload });
    payload[0] = 9;
    await muster.multicast('ns', { payload, contentType: 'application/json' });
    const [first, second] = await take(inbox, 2);
    expect([...first!.payload]).toEqual([1, 2, 3]);
    expect(first!.contentType).toBe('application/octet-stream');
    expect(second!.contentType).toBe('application/json');
  });

  test('message ids are unique per target and per multicast', async () => {
    const messaging = new TestMessaging();
    const muster = open({ messaging });
    await registerAll(muster, ['a', 'b', 'c']);
    await muster.multicast('ns', { payload: 'x' });
    await muster.multicast('ns', { payload: 'y' });
    const ids = messaging.batches.flat().map((e) => e.messageId);
    expect(new Set(ids).size).toBe(6);
  });

  test('a dishonest slot reporting DELIVERED for fire-and-forget is reported as SENT', async () => {
    const messaging = new TestMessaging({
      results: (results) => results.map((r) => ({ ...r, status: 'DELIVERED' as const })),
    });
    const muster = open({ messaging });
    await registerAll(muster, ['a', 'b']);
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(report.deliveries.map((d) => d.status)).toEqual(['SENT', 'SENT']);
    expect(report.deliveredCount).toBe(0);
  });

  test('a slot that returns too few results leaves FAILED statuses, not holes', async () => {
    const messaging = new TestMessaging({ results: (results) => results.slice(1) });
    const muster = open({ messaging });
    await registerAll(muster, ['a', 'b']);
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(report.deliveries.map((d) => d.status)).toEqual(['FAILED', 'FAILED']);
    expect(report.deliveries[0]!.error?.code).toBe('INTERNAL');
  });
});

describe('multicast acked', { timeout: 10_000 }, () => {
  test('DELIVERED when acked, TIMEOUT when not, NO_SUBSCRIBER when nobody listens', async () => {
    const muster = open();
    await registerAll(muster, ['fast', 'nobody', 'silent']);
    ackAll(await muster.subscribe('ns', 'fast'));
    await muster.subscribe('ns', 'silent');
    const started = Date.now();
    const report = await muster.multicast('ns', {
      payload: 'x',
      delivery: 'acked',
      timeoutMs: 150,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.deliveries.map((d) => [d.identity, d.status])).toEqual([
      ['fast', 'DELIVERED'],
      ['nobody', 'NO_SUBSCRIBER'],
      ['silent', 'TIMEOUT'],
    ]);
    expect(report.deliveredCount).toBe(1);
  });

  test('UNSUPPORTED when the messaging slot has no acked mode', async () => {
    const messaging = new TestMessaging({ supports: { acked: false } });
    const muster = open({ messaging });
    const error = await muster
      .multicast('ns', { payload: 'x', delivery: 'acked' })
      .catch((e: unknown) => e);
    expect(MusterError.is(error, 'UNSUPPORTED')).toBe(true);
    expect((error as MusterError).details.field).toBe('delivery');
  });
});

describe('multicast at-least-once', { timeout: 10_000 }, () => {
  test('QUEUED in the durability slot, delivered when the identity subscribes', async () => {
    const durability = createMemoryDurability({ retention: {} });
    const muster = open({ durability });
    await registerAll(muster, ['a', 'b']);
    const report = await muster.multicast('ns', { payload: 'stored', delivery: 'at-least-once' });
    expect(report.deliveries.map((d) => d.status)).toEqual(['QUEUED', 'QUEUED']);
    expect(report.deliveredCount).toBe(0);
    const inbox = await muster.subscribe('ns', 'a');
    const [message] = await take(inbox, 1);
    expect(text(message!)).toBe('stored');
    await message!.ack();
    expect(await durability.read('ns', 'a', { limit: 10 }, Date.now())).toHaveLength(0);
    expect(await durability.read('ns', 'b', { limit: 10 }, Date.now())).toHaveLength(1);
    await durability.close();
  });

  test('UNSUPPORTED without a durability slot', async () => {
    const muster = open({ durability: null });
    await registerAll(muster, ['a']);
    expect(await codeOf(muster.multicast('ns', { payload: 'x', delivery: 'at-least-once' }))).toBe(
      'UNSUPPORTED',
    );
  });
});

describe('fan-out', { timeout: 10_000 }, () => {
  test('batches of multicastBatchSize, at most multicastConcurrency in flight', async () => {
    const messaging = new TestMessaging();
    messaging.delayMs = 5;
    const muster = open({
      messaging,
      namespaces: { ns: { multicastBatchSize: 10, multicastConcurrency: 3 } },
    });
    const identities = Array.from({ length: 95 }, (_, i) => `id-${String(i).padStart(2, '0')}`);
    await registerAll(muster, identities);
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(messaging.batches.map((b) => b.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    expect(messaging.maxInFlight).toBe(3);
    expect(report.deliveries.map((d) => d.identity)).toEqual(identities);
    expect(report.deliveries.every((d) => d.status === 'NO_SUBSCRIBER')).toBe(true);
  });

  test('a batch failing with UNAVAILABLE is retried with the same message ids', async () => {
    const messaging = new TestMessaging();
    messaging.failures.push({ method: 'publish', times: 2, error: unavailable() });
    const muster = open({ messaging, namespaces: { ns: { multicastRetries: 2 } } });
    await registerAll(muster, ['a', 'b']);
    const inbox = await muster.subscribe('ns', 'a');
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(report.deliveries.map((d) => d.status)).toEqual(['SENT', 'NO_SUBSCRIBER']);
    expect(messaging.batches).toHaveLength(3);
    expect(messaging.batches[2]!.map((e) => e.messageId)).toEqual(
      messaging.batches[0]!.map((e) => e.messageId),
    );
    expect(messaging.batches[2]!.map((e) => e.attempt)).toEqual([3, 3]);
    const [message] = await take(inbox, 1);
    expect(message!.attempt).toBe(3);
  });

  test('a plain Error from the slot counts as UNAVAILABLE and is retried', async () => {
    const messaging = new TestMessaging();
    messaging.failures.push({ method: 'publish', times: 1, error: new Error('socket closed') });
    const muster = open({ messaging });
    await registerAll(muster, ['a']);
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(report.deliveries[0]!.status).toBe('NO_SUBSCRIBER');
    expect(messaging.batches).toHaveLength(2);
  });

  test('after multicastRetries, the batch targets are FAILED with the error; others are fine', async () => {
    const messaging = new TestMessaging();
    messaging.failures.push({ method: 'publish', times: 3, error: unavailable('nats down') });
    const muster = open({
      messaging,
      namespaces: { ns: { multicastRetries: 2, multicastBatchSize: 2, multicastConcurrency: 1 } },
    });
    await registerAll(muster, ['a', 'b', 'c']);
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(report.deliveries.map((d) => d.status)).toEqual(['FAILED', 'FAILED', 'NO_SUBSCRIBER']);
    expect(report.deliveries[0]!.error).toEqual({ code: 'UNAVAILABLE', message: 'nats down' });
  });

  test('errors other than UNAVAILABLE are not retried', async () => {
    const messaging = new TestMessaging();
    messaging.failures.push({
      method: 'publish',
      times: 1,
      error: new MusterError('PERMISSION_DENIED', 'not allowed'),
    });
    const muster = open({ messaging });
    await registerAll(muster, ['a']);
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(report.deliveries[0]).toMatchObject({
      status: 'FAILED',
      error: { code: 'PERMISSION_DENIED' },
    });
    expect(messaging.batches).toHaveLength(1);
  });

  test('retries stop at the timeout', async () => {
    const messaging = new TestMessaging();
    messaging.failures.push({ method: 'publish', times: 100, error: unavailable() });
    const muster = open({ messaging, namespaces: { ns: { multicastRetries: 100 } } });
    await registerAll(muster, ['a']);
    const started = Date.now();
    const report = await muster.multicast('ns', { payload: 'x', timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(['FAILED', 'TIMEOUT']).toContain(report.deliveries[0]!.status);
    expect(messaging.batches.length).toBeGreaterThan(1);
    expect(messaging.batches.length).toBeLessThan(100);
  });

  test('a slot that hangs leaves its targets TIMEOUT when the timeout passes', async () => {
    const messaging = new TestMessaging({ hang: true });
    const muster = open({ messaging });
    await registerAll(muster, ['a', 'b']);
    const report = await muster.multicast('ns', { payload: 'x', timeoutMs: 50 });
    expect(report.deliveries.map((d) => d.status)).toEqual(['TIMEOUT', 'TIMEOUT']);
  });

  test('TIMEOUT error when the targets cannot be found in time; nothing is sent', async () => {
    const registry = new TestRegistry();
    const messaging = new TestMessaging();
    const muster = open({ registry, messaging });
    await registerAll(muster, ['a']);
    registry.enumerate = () => new Promise(() => {});
    const error = await muster
      .multicast('ns', { payload: 'x', timeoutMs: 30 })
      .catch((e: unknown) => e);
    expect(MusterError.is(error, 'TIMEOUT')).toBe(true);
    expect(messaging.batches).toHaveLength(0);
  });

  test('an UNAVAILABLE registry is asked again for the targets within the timeout', async () => {
    const registry = new TestRegistry();
    const messaging = new TestMessaging();
    const muster = open({ registry, messaging });
    await registerAll(muster, ['a', 'b']);
    registry.failures.push({ method: 'enumerate', times: 2, error: unavailable('failover') });
    const report = await muster.multicast('ns', { payload: 'x' });
    expect(report.targetCount).toBe(2);
    expect(registry.calls.enumerate).toBe(3);
    expect(messaging.batches).toHaveLength(1);
  });

  test('a registry error other than UNAVAILABLE fails the multicast at once', async () => {
    const registry = new TestRegistry();
    const muster = open({ registry });
    await registerAll(muster, ['a']);
    registry.failures.push({
      method: 'enumerate',
      times: 1,
      error: new MusterError('PERMISSION_DENIED', 'no'),
    });
    const error = await muster.multicast('ns', { payload: 'x' }).catch((e: unknown) => e);
    expect(MusterError.is(error, 'PERMISSION_DENIED')).toBe(true);
    expect(registry.calls.enumerate).toBe(1);
  });

  test('abort: CANCELLED, with what was already sent in details.report', async () => {
    const messaging = new TestMessaging();
    messaging.delayMs = 30;
    const muster = open({
      messaging,
      namespaces: { ns: { multicastBatchSize: 1, multicastConcurrency: 1 } },
    });
    await registerAll(muster, ['a', 'b', 'c', 'd']);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 45);
    const error = await muster
      .multicast('ns', { payload: 'x', signal: controller.signal })
      .catch((e: unknown) => e);
    expect(MusterError.is(error, 'CANCELLED')).toBe(true);
    const report = (error as MusterError).details.report as {
      deliveries: { status: string; error?: { code: string } }[];
    };
    expect(report.deliveries).toHaveLength(4);
    expect(report.deliveries[0]!.status).toBe('NO_SUBSCRIBER');
    expect(report.deliveries[3]).toMatchObject({ status: 'FAILED', error: { code: 'CANCELLED' } });
    const already = new AbortController();
    already.abort();
    expect(await codeOf(muster.multicast('ns', { payload: 'x', signal: already.signal }))).toBe(
      'CANCELLED',
    );
  });
});

describe('idempotency', { timeout: 10_000 }, () => {
  test('a repeated key returns the first report and sends nothing again', async () => {
    const messaging = new TestMessaging();
    const muster = open({ messaging });
    await registerAll(muster, ['a', 'b']);
    const first = await muster.multicast('ns', { payload: 'x', idempotencyKey: 'k1' });
    const again = await muster.multicast('ns', { payload: 'x', idempotencyKey: 'k1' });
    expect(again).toBe(first);
    expect(messaging.batches).toHaveLength(1);
    const other = await muster.multicast('ns', { payload: 'x', idempotencyKey: 'k2' });
    expect(other.multicastId).not.toBe(first.multicastId);
    const otherNamespace = await muster.multicast('elsewhere', {
      payload: 'x',
      idempotencyKey: 'k1',
    });
    expect(otherNamespace.multicastId).not.toBe(first.multicastId);
  });

  test('concurrent calls with one key share one multicast; a failed one can be retried', async () => {
    const messaging = new TestMessaging();
    const registry = new TestRegistry();
    const muster = open({ messaging, registry });
    await registerAll(muster, ['a']);
    const [one, two] = await Promise.all([
      muster.multicast('ns', { payload: 'x', idempotencyKey: 'same' }),
      muster.multicast('ns', { payload: 'x', idempotencyKey: 'same' }),
    ]);
    expect(one).toBe(two);
    // Past multicastRetries (2): the registry stays UNAVAILABLE for the whole multicast.
    registry.failures.push({ method: 'enumerate', times: 3, error: unavailable() });
    expect(await codeOf(muster.multicast('ns', { payload: 'x', idempotencyKey: 'retry' }))).toBe(
      'UNAVAILABLE',
    );
    await settle();
    const retried = await muster.multicast('ns', { payload: 'x', idempotencyKey: 'retry' });
    expect(retried.targetCount).toBe(1);
  });
});

describe('multicast arguments', { timeout: 10_000 }, () => {
  test.each([
    [{ payload: 42 }, 'payload'],
    [{ payload: 'x', contentType: '' }, 'contentType'],
    [{ payload: 'x', delivery: 'exactly-once' }, 'delivery'],
    [{ payload: 'x', timeoutMs: 0 }, 'timeoutMs'],
    [{ payload: 'x', timeoutMs: 2 ** 31 }, 'timeoutMs'],
    [{ payload: 'x', idempotencyKey: '' }, 'idempotencyKey'],
    [{ payload: 'x', signal: {} }, 'signal'],
  ])('%j is INVALID_ARGUMENT naming %s', async (request, field) => {
    const muster = open();
    const error = await muster.multicast('ns', request as never).catch((e: unknown) => e);
    expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as MusterError).details.field).toBe(field);
  });
});
