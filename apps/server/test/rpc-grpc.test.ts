import { create } from '@bufbuild/protobuf';
import { durationFromMs, ValueSchema } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-node';
import {
  DeliveryMode,
  DeliveryStatus,
  ErrorDetailSchema,
  RegistryService,
  WatchEventType,
} from '@muster/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { grpcClient, next, startTestServer } from './support/test-server.js';

const filter = (text: string) =>
  create(ValueSchema, { kind: { case: 'stringValue', value: text } });

// Every RPC over gRPC (HTTP/2 with prior knowledge, as generated gRPC clients connect) on the
// same port that serves curl's HTTP/1.1.
describe('RegistryService over gRPC', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());
  const namespace = 'grpc-rpc';

  it('serves every unary RPC', async () => {
    const client = grpcClient(server);
    const registered = await client.register({
      namespace,
      identity: 'g1',
      metadata: { status: 'online', room: 'eng' },
      ttl: durationFromMs(30_000),
    });
    expect(registered.identity).toBe('g1');
    expect(registered.expiresAt).toBeDefined();
    expect((await client.get({ namespace, identity: 'g1' })).record?.metadata).toEqual({
      status: 'online',
      room: 'eng',
    });
    expect(
      (await client.heartbeat({ namespace, identity: 'g1', ttl: durationFromMs(60_000) })).identity,
    ).toBe('g1');
    const page = await client.enumerate({
      namespace,
      filter: filter('room == "eng"'),
      totalCount: true,
    });
    expect(page.identities.map((r) => r.identity)).toEqual(['g1']);
    expect(page.totalCount).toBe(1);
    const report = (await client.multicast({ namespace, payload: new Uint8Array([1, 2, 3]) }))
      .report!;
    expect(report.targetCount).toBe(1);
    expect(report.deliveries[0]!.status).toBe(DeliveryStatus.NO_SUBSCRIBER);
    expect(
      (await client.getMulticast({ namespace, multicastId: report.multicastId })).report
        ?.multicastId,
    ).toBe(report.multicastId);
    expect(
      (await client.ack({ namespace, identity: 'g1', messageIds: ['x'] })).unknownMessageIds,
    ).toEqual(['x']);
    expect((await client.unregister({ namespace, identity: 'g1' })).removed).toBe(true);
  });

  it('returns gRPC status codes with the ErrorDetail', async () => {
    const client = grpcClient(server);
    const error = await client
      .get({ namespace, identity: 'missing' })
      .catch((e: unknown) => ConnectError.from(e));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.NotFound);
    expect((error as ConnectError).findDetails(ErrorDetailSchema)[0]?.code).toBe('NOT_FOUND');
    expect((error as ConnectError).metadata.get('muster-error-code')).toBe('NOT_FOUND');
    const filterError = await client
      .enumerate({ namespace, filter: filter('a <') })
      .catch((e: unknown) => ConnectError.from(e));
    expect((filterError as ConnectError).code).toBe(Code.InvalidArgument);
    const detail = (filterError as ConnectError).findDetails(ErrorDetailSchema)[0]!;
    expect(detail.code).toBe('INVALID_FILTER');
    expect(detail.details?.location).toEqual({ offset: 3, line: 1, column: 4 });
    const unsupported = await client
      .multicast({ namespace, payload: new Uint8Array(), delivery: DeliveryMode.AT_LEAST_ONCE })
      .then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
    // The embedded default has an in-memory durability slot, so at-least-once works there.
    expect(unsupported).toBeUndefined();
  });

  it('streams Subscribe and Watch, and acknowledges over gRPC', async () => {
    const client = grpcClient(server);
    const controller = new AbortController();
    const watch = client
      .watch({ namespace, initial: true }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    expect((await next(watch)).event.case).toBe('started');
    const inbox = client
      .subscribe({ namespace, identity: 'g2' }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    expect((await next(inbox)).event.case).toBe('started');
    await client.register({ namespace, identity: 'g2', metadata: { room: 'ops' } });
    const added = await next(watch);
    expect(added.event.case === 'change' && added.event.value.type).toBe(WatchEventType.ADDED);
    const sending = client.multicast({
      namespace,
      filter: filter('room == "ops"'),
      payload: new TextEncoder().encode('ping'),
      delivery: DeliveryMode.ACKED,
      timeout: durationFromMs(5000),
    });
    const message = await next(inbox);
    if (message.event.case !== 'message') throw new Error('expected a message');
    expect(
      (await client.ack({ namespace, identity: 'g2', messageIds: [message.event.value.messageId] }))
        .acked,
    ).toBe(1);
    expect((await sending).report?.deliveredCount).toBe(1);
    controller.abort();
  });

  it('also speaks gRPC-Web', async () => {
    const client = createClient(
      RegistryService,
      createGrpcWebTransport({ baseUrl: server.url, httpVersion: '1.1' }),
    );
    await client.register({ namespace, identity: 'web-1' });
    expect((await client.get({ namespace, identity: 'web-1' })).record?.identity).toBe('web-1');
  });
});
