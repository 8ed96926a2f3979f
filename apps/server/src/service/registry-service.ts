import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import {
  Code,
  type ConnectError,
  type HandlerContext,
  type ServiceImpl,
} from '@connectrpc/connect';
import {
  ERROR_CODE_HEADER,
  type RegistryService,
  type SubscribeResponseSchema,
  type WatchResponseSchema,
} from '@muster/api';
import { type FilterInput, MusterError } from '@muster/core';
import { compile } from '@muster/filter';
import type { Logger } from 'pino';
import type { AccessControl } from '../auth/access-control.js';
import { metadataProjection, restrictFilter } from '../auth/apply-grant.js';
import type { Grant } from '../auth/grant.js';
import type { Scope } from '../auth/scope.js';
import { toConnectError } from '../errors/to-connect-error.js';
import type { ServerMetrics } from '../observability/server-metrics.js';
import type { InFlight } from './in-flight.js';
import type { NamespaceDirectory } from './namespace-directory.js';
import type { NamespaceRuntime } from './namespace-runtime.js';
import type { OpenInboxes } from './open-inboxes.js';
import { outboxMulticast } from './outbox-multicast.js';
import { outboxReport } from './outbox-report.js';
import {
  deliveryFromProto,
  durationToMs,
  filterFromProto,
  recordToProto,
  reportToProto,
  sortFromProto,
  watchEventToProto,
} from './proto-convert.js';
import type { StreamTracker } from './stream-tracker.js';

export interface RegistryServiceDeps {
  readonly directory: NamespaceDirectory;
  readonly access: AccessControl;
  readonly inboxes: OpenInboxes;
  readonly streams: StreamTracker;
  readonly multicasts: InFlight;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** Most open streams per key when the key sets none; undefined for no limit. */
  readonly maxStreamsPerKey?: number;
}

/** A call's namespace, the grant of its key, and its request id. */
interface CallScope {
  readonly runtime: NamespaceRuntime;
  readonly grant: Grant;
}

const REQUEST_ID_HEADER = 'x-request-id';

/** The RegistryService implementation: checks access, calls the coordinator, maps results. */
export function createRegistryService(
  deps: RegistryServiceDeps,
): ServiceImpl<typeof RegistryService> {
  const { directory, access, metrics } = deps;

  /** Authorises before resolving, so an unauthorised caller never learns what namespaces exist. */
  function enter(
    ctx: HandlerContext,
    namespace: string,
    scope: Scope,
    identity?: string,
  ): CallScope {
    const grant = access.check(ctx.requestHeader.get('authorization'), namespace, scope, identity);
    return { runtime: directory.resolve(namespace), grant };
  }

  function requestId(ctx: HandlerContext): string {
    const given = ctx.requestHeader.get(REQUEST_ID_HEADER);
    const id = given !== null && /^[\w.:-]{1,128}$/.test(given) ? given : crypto.randomUUID();
    ctx.responseHeader.set(REQUEST_ID_HEADER, id);
    return id;
  }

  function fail(
    method: string,
    namespace: string,
    id: string,
    started: number,
    error: unknown,
  ): ConnectError {
    const connectError = toConnectError(error);
    const musterCode = connectError.metadata.get(ERROR_CODE_HEADER) ?? 'INTERNAL';
    metrics.requests.inc({ method, namespace, code: Code[connectError.code] });
    metrics.errors.inc({ method, namespace, muster_code: musterCode });
    const log = { requestId: id, method, namespace, code: musterCode, ms: Date.now() - started };
    if (connectError.code === Code.Internal)
      deps.logger.error({ ...log, err: error }, 'request failed');
    else deps.logger.info({ ...log, message: connectError.rawMessage }, 'request failed');
    return connectError;
  }

  /** Wraps a unary handler: request id, metrics, logs and error mapping. */
  function unary<Req extends { namespace: string }, Res>(
    method: string,
    handle: (request: Req, ctx: HandlerContext) => Promise<Res>,
  ): (request: Req, ctx: HandlerContext) => Promise<Res> {
    return async (request, ctx) => {
      const id = requestId(ctx);
      const started = Date.now();
      const namespace = directory.label(request.namespace);
      try {
        const response = await handle(request, ctx);
        metrics.requests.inc({ method, namespace, code: 'ok' });
        metrics.requestDuration.observe({ method }, (Date.now() - started) / 1000);
        deps.logger.info({ requestId: id, method, namespace, ms: Date.now() - started }, 'request');
        return response;
      } catch (error) {
        throw fail(method, namespace, id, started, error);
      }
    };
  }

  /** Wraps a streaming handler the same way; the stream is counted while open. */
  function streaming<Req extends { namespace: string }, Res>(
    method: string,
    handle: (request: Req, ctx: HandlerContext) => AsyncIterable<Res>,
  ): (request: Req, ctx: HandlerContext) => AsyncIterable<Res> {
    return async function* (request, ctx) {
      const id = requestId(ctx);
      const started = Date.now();
      const namespace = directory.label(request.namespace);
      metrics.openStreams.inc({ method });
      deps.logger.info({ requestId: id, method, namespace }, 'stream opened');
      try {
        yield* handle(request, ctx);
        metrics.requests.inc({ method, namespace, code: 'ok' });
        deps.logger.info(
          { requestId: id, method, namespace, ms: Date.now() - started },
          'stream closed',
        );
      } catch (error) {
        throw fail(method, namespace, id, started, error);
      } finally {
        metrics.openStreams.dec({ method });
      }
    };
  }

  function userFilter(input: FilterInput | undefined, call: CallScope): FilterInput | undefined {
    return restrictFilter(input, call.grant, call.runtime.filterLimits);
  }

  return {
    register: unary('Register', async (request, ctx) => {
      const { runtime } = enter(ctx, request.namespace, 'register', request.identity);
      const ttlMs = durationToMs(request.ttl, 'ttl');
      const result = await runtime.muster.register(request.namespace, {
        identity: request.identity,
        metadata: request.metadata ?? {},
        replace: request.replace,
        ...(ttlMs === undefined ? {} : { ttlMs }),
      });
      return {
        identity: result.identity,
        registeredAt: timestampFromMs(result.registeredAt),
        ...(result.expiresAt === null ? {} : { expiresAt: timestampFromMs(result.expiresAt) }),
      };
    }),

    heartbeat: unary('Heartbeat', async (request, ctx) => {
      const { runtime } = enter(ctx, request.namespace, 'heartbeat', request.identity);
      const ttlMs = durationToMs(request.ttl, 'ttl');
      const result = await runtime.muster.heartbeat(
        request.namespace,
        request.identity,
        ttlMs === undefined ? {} : { ttlMs },
      );
      return {
        identity: result.identity,
        ...(result.expiresAt === null ? {} : { expiresAt: timestampFromMs(result.expiresAt) }),
      };
    }),

    unregister: unary('Unregister', async (request, ctx) => {
      const { runtime } = enter(ctx, request.namespace, 'unregister', request.identity);
      return runtime.muster.unregister(request.namespace, request.identity);
    }),

    get: unary('Get', async (request, ctx) => {
      const { runtime, grant } = enter(ctx, request.namespace, 'enumerate');
      const record = await runtime.muster.get(request.namespace, request.identity);
      // Outside the key's fleet is the same answer as absent: nothing leaks.
      if (grant.publisherFilter !== undefined && !compile(grant.publisherFilter)(record.metadata))
        throw new MusterError('NOT_FOUND', `identity "${request.identity}" is not registered`, {
          details: { field: 'identity' },
        });
      return { record: recordToProto(record, metadataProjection(grant)) };
    }),

    enumerate: unary('Enumerate', async (request, ctx) => {
      const call = enter(ctx, request.namespace, 'enumerate');
      const filter = userFilter(filterFromProto(request.filter), call);
      const sort = sortFromProto(request.sort);
      const started = performance.now();
      const page = await call.runtime.muster.enumerate(request.namespace, {
        ...(filter === undefined ? {} : { filter }),
        ...(request.limit === 0 ? {} : { limit: request.limit }),
        ...(request.cursor === '' ? {} : { cursor: request.cursor }),
        ...(sort === undefined ? {} : { sort }),
        includeMetadata: request.includeMetadata ?? true,
        totalCount: request.totalCount,
      });
      metrics.enumerateLatency.observe(
        { namespace: directory.label(request.namespace) },
        (performance.now() - started) / 1000,
      );
      const visible = metadataProjection(call.grant);
      return {
        identities: page.identities.map((record) => recordToProto(record, visible)),
        nextCursor: page.nextCursor ?? '',
        ...(page.totalCount === undefined ? {} : { totalCount: page.totalCount }),
      };
    }),

    multicast: unary('Multicast', async (request, ctx) => {
      const call = enter(ctx, request.namespace, 'multicast');
      const { limits } = call.runtime;
      if (request.payload.byteLength > limits.maxPayloadBytes)
        throw new MusterError(
          'INVALID_ARGUMENT',
          `the payload is ${request.payload.byteLength} bytes; the limit is ${limits.maxPayloadBytes}`,
          { details: { field: 'payload', limit: 'maxPayloadBytes', max: limits.maxPayloadBytes } },
        );
      const filter = userFilter(filterFromProto(request.filter), call);
      const delivery = deliveryFromProto(request.delivery);
      const timeoutMs = durationToMs(request.timeout, 'timeout');
      if (limits.maxMulticastTargets !== undefined)
        await checkTargetCount(call.runtime, request.namespace, filter, limits.maxMulticastTargets);
      const outbox = call.runtime.outbox;
      if (outbox !== undefined && delivery === 'acked')
        throw new MusterError(
          'UNSUPPORTED',
          `namespace "${request.namespace}" multicasts through its transactional outbox: a relay publishes after the call returns, so there are no acks to wait for (use at-least-once or at-most-once)`,
          { details: { field: 'delivery' } },
        );
      const sending =
        outbox === undefined
          ? call.runtime.muster.multicast(request.namespace, {
              ...(filter === undefined ? {} : { filter }),
              payload: request.payload,
              ...(request.contentType === '' ? {} : { contentType: request.contentType }),
              delivery,
              ...(timeoutMs === undefined ? {} : { timeoutMs }),
              ...(request.idempotencyKey === '' ? {} : { idempotencyKey: request.idempotencyKey }),
              signal: ctx.signal,
            })
          : outboxMulticast(outbox, request.namespace, {
              ...(filter === undefined ? {} : { filter }),
              payload: request.payload,
              ...(request.contentType === '' ? {} : { contentType: request.contentType }),
              ...(request.idempotencyKey === '' ? {} : { idempotencyKey: request.idempotencyKey }),
              ...(call.runtime.filterLimits === undefined
                ? {}
                : { filterLimits: call.runtime.filterLimits }),
            });
      const report = await deps.multicasts.track(sending);
      const label = directory.label(request.namespace);
      metrics.multicasts.inc({ namespace: label, delivery });
      metrics.multicastTargets.inc({ namespace: label }, report.targetCount);
      metrics.multicastDelivered.inc({ namespace: label }, report.deliveredCount);
      metrics.recordDeliveries(label, report.deliveries);
      return { report: reportToProto(report) };
    }),

    getMulticast: unary('GetMulticast', async (request, ctx) => {
      const { runtime } = enter(ctx, request.namespace, 'multicast');
      // The coordinator keeps every multicast's report (in the durability slot when it can store
      // them, so any instance on the same backends answers); an outbox's live in its tables.
      if (runtime.outbox === undefined)
        return {
          report: reportToProto(
            await runtime.muster.getMulticast(request.namespace, request.multicastId),
          ),
        };
      const report = await outboxReport(runtime.outbox, request.namespace, request.multicastId);
      if (report === undefined)
        throw new MusterError(
          'NOT_FOUND',
          `no multicast "${request.multicastId}" in the outbox of namespace "${request.namespace}" (unknown, or pruned)`,
          { details: { field: 'multicastId' } },
        );
      return { report: reportToProto(report) };
    }),

    subscribe: streaming('Subscribe', async function* (request, ctx) {
      const { runtime, grant } = enter(ctx, request.namespace, 'subscribe', request.identity);
      const stream = deps.streams.open(
        grant.keyName,
        grant.maxStreams ?? deps.maxStreamsPerKey,
        ctx.signal,
      );
      const inbox = deps.inboxes.open(request.namespace, request.identity);
      try {
        const subscription = await runtime.muster.subscribe(request.namespace, request.identity, {
          signal: stream.signal,
        });
        try {
          yield started<typeof SubscribeResponseSchema>({
            case: 'started',
            value: { identity: request.identity },
          });
          for await (const message of subscription) {
            inbox.remember(message);
            yield {
              event: {
                case: 'message',
                value: {
                  messageId: message.messageId,
                  multicastId: message.multicastId,
                  identity: message.identity,
                  payload: message.payload,
                  contentType: message.contentType,
                  attempt: message.attempt,
                },
              },
            };
          }
        } finally {
          await subscription.close();
        }
      } finally {
        inbox.close();
        stream.close();
      }
    }),

    ack: unary('Ack', async (request, ctx) => {
      enter(ctx, request.namespace, 'subscribe', request.identity);
      const result = await deps.inboxes.ack(
        request.namespace,
        request.identity,
        request.messageIds,
      );
      return { acked: result.acked, unknownMessageIds: result.unknown };
    }),

    watch: streaming('Watch', async function* (request, ctx) {
      const call = enter(ctx, request.namespace, 'watch');
      const filter = userFilter(filterFromProto(request.filter), call);
      const stream = deps.streams.open(
        call.grant.keyName,
        call.grant.maxStreams ?? deps.maxStreamsPerKey,
        ctx.signal,
      );
      try {
        const watch = await call.runtime.muster.watch(request.namespace, {
          ...(filter === undefined ? {} : { filter }),
          initial: request.initial,
          signal: stream.signal,
        });
        const visible = metadataProjection(call.grant);
        try {
          yield started<typeof WatchResponseSchema>({ case: 'started', value: {} });
          for await (const event of watch)
            yield { event: { case: 'change', value: watchEventToProto(event, visible) } };
        } finally {
          await watch.close();
        }
      } finally {
        stream.close();
      }
    }),
  };
}

function started<S extends typeof SubscribeResponseSchema | typeof WatchResponseSchema>(
  event: MessageInitShape<S>['event'],
): MessageInitShape<S> {
  return { event } as MessageInitShape<S>;
}

/** Refuses a multicast whose filter matches more than `max` identities (before sending any). */
async function checkTargetCount(
  runtime: NamespaceRuntime,
  namespace: string,
  filter: FilterInput | undefined,
  max: number,
): Promise<void> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await runtime.muster.enumerate(namespace, {
      ...(filter === undefined ? {} : { filter }),
      ...(cursor === undefined ? {} : { cursor }),
      limit: 1000,
      includeMetadata: false,
    });
    count += page.identities.length;
    cursor = page.nextCursor;
  } while (cursor !== undefined && count <= max);
  if (count > max)
    throw new MusterError(
      'INVALID_ARGUMENT',
      `the filter matches more than ${max} identities, the most one multicast may target`,
      { details: { field: 'filter', limit: 'maxMulticastTargets', max } },
    );
}
