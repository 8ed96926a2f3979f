// The slot's own request/reply: answers come back to the right caller, a silent subject times
// out with UNAVAILABLE after the timeout (one timer for many requests), and close fails what waits.
import { MusterError } from '@muster/core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InboxRequests } from '../src/inbox-requests.js';
import { NATS_URL, natsReachable, uniquePrefix } from './support/nats-url.js';

const reachable = await natsReachable();
const prefix = uniquePrefix('inbox');
let nc: NatsConnection;

beforeAll(async () => {
  if (!reachable) return;
  nc = await connect({ servers: NATS_URL });
  // Echoes each request's body back, upper-cased, after a delay that varies per request.
  nc.subscribe(`${prefix}.echo`, {
    callback: (_error, msg) => {
      const text = new TextDecoder().decode(msg.data);
      setTimeout(() => msg.respond(text.toUpperCase()), Number(text.slice(1)) % 7);
    },
  });
  nc.subscribe(`${prefix}.silent`, { callback: () => {} });
  await nc.flush();
});

afterAll(async () => {
  await nc?.close();
});

const body = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

it.runIf(reachable)('every answer reaches its own request, in any order', async () => {
  const requests = new InboxRequests(nc, 2_000, 'test');
  const answers = await Promise.all(
    Array.from({ length: 200 }, (_, i) => requests.request(`${prefix}.echo`, body(`r${i}`))),
  );
  expect(answers.map((msg) => text(msg.data))).toEqual(
    Array.from({ length: 200 }, (_, i) => `R${i}`),
  );
  requests.close();
});

it.runIf(reachable)('nobody subscribed: the 503 status reply comes back at once', async () => {
  const requests = new InboxRequests(nc, 2_000, 'test');
  const reply = await requests.request(`${prefix}.nobody`, body('x'));
  expect(reply.headers?.code).toBe(503);
  requests.close();
});

it.runIf(reachable)('unanswered requests fail with UNAVAILABLE after the timeout', async () => {
  const requests = new InboxRequests(nc, 150, 'test');
  const started = performance.now();
  const silent = Array.from({ length: 3 }, () =>
    requests.request(`${prefix}.silent`, body('x')).catch((error: unknown) => error),
  );
  const answered = await requests.request(`${prefix}.echo`, body('e1'));
  expect(text(answered.data)).toBe('E1');
  for (const outcome of await Promise.all(silent)) {
    expect(outcome).toBeInstanceOf(MusterError);
    expect((outcome as MusterError).code).toBe('UNAVAILABLE');
  }
  expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  // Later requests get a timer of their own.
  const late = await requests.request(`${prefix}.silent`, body('x')).catch((error) => error);
  expect((late as MusterError).code).toBe('UNAVAILABLE');
  requests.close();
});

it.runIf(reachable)('close fails the requests still waiting', async () => {
  const requests = new InboxRequests(nc, 5_000, 'test');
  const waiting = requests.request(`${prefix}.silent`, body('x')).catch((error) => error);
  requests.close();
  expect(((await waiting) as MusterError).code).toBe('UNAVAILABLE');
});
