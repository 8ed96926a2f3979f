import type { JsonObject } from '@bufbuild/protobuf';
import { durationFromMs } from '@bufbuild/protobuf/wkt';
import { SortDirection } from '@muster/api';
import type {
  CallOptions,
  EnumerateRequest,
  EnumerateResult,
  HeartbeatResult,
  IdentityRecord,
  MulticastReport,
  MulticastRequest,
  NamespaceClient,
  RegisterRequest,
  RegisterResult,
  Registration,
  SubscribeOptions,
  Subscription,
  Watch,
  WatchRequest,
} from './client-api.js';
import { encodePayload } from './encode-payload.js';
import { KeepAliveRegistration } from './keep-alive-registration.js';
import { MusterError } from './muster-error.js';
import type { RegistryClient } from './registry-client.js';
import { RemoteSubscription } from './remote-subscription.js';
import { RemoteWatch } from './remote-watch.js';
import { toMusterError } from './to-muster-error.js';
import {
  fromWireRecord,
  fromWireReport,
  optionalMillis,
  toWireDeliveryMode,
  toWireFilter,
} from './wire.js';

/** Runs one call, turning whatever it throws into a MusterError. */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toMusterError(error);
  }
}

function ttl(ms: number | undefined): { ttl?: ReturnType<typeof durationFromMs> } {
  return ms === undefined ? {} : { ttl: durationFromMs(ms) };
}

/** A namespace of a Muster server, through the generated RegistryService client. */
export class RemoteNamespace implements NamespaceClient {
  readonly name: string;
  readonly #service: RegistryClient;

  constructor(service: RegistryClient, name: string) {
    this.#service = service;
    this.name = name;
  }

  async register(request: RegisterRequest, options?: CallOptions): Promise<Registration> {
    const result = await this.#register(request, options);
    return new KeepAliveRegistration(
      {
        register: (again, againOptions) => this.#register(again, againOptions),
        heartbeat: (identity, heartbeatOptions) => this.heartbeat(identity, heartbeatOptions),
        unregister: (identity) => this.unregister(identity),
      },
      request,
      result,
    );
  }

  #register(request: RegisterRequest, options?: CallOptions): Promise<RegisterResult> {
    return call(async () => {
      const response = await this.#service.register(
        {
          namespace: this.name,
          identity: request.identity,
          metadata: (request.metadata ?? {}) as JsonObject,
          replace: request.replace ?? false,
          ...ttl(request.ttlMs),
        },
        options,
      );
      return {
        identity: response.identity,
        registeredAt: optionalMillis(response.registeredAt) ?? 0,
        expiresAt: optionalMillis(response.expiresAt),
      };
    });
  }

  heartbeat(
    identity: string,
    options: CallOptions & { readonly ttlMs?: number } = {},
  ): Promise<HeartbeatResult> {
    const { ttlMs, ...callOptions } = options;
    return call(async () => {
      const response = await this.#service.heartbeat(
        { namespace: this.name, identity, ...ttl(ttlMs) },
        callOptions,
      );
      return { identity: response.identity, expiresAt: optionalMillis(response.expiresAt) };
    });
  }

  unregister(identity: string, options?: CallOptions): Promise<{ readonly removed: boolean }> {
    return call(async () => {
      const response = await this.#service.unregister({ namespace: this.name, identity }, options);
      return { removed: response.removed };
    });
  }

  get(identity: string, options?: CallOptions): Promise<IdentityRecord> {
    return call(async () => {
      const response = await this.#service.get({ namespace: this.name, identity }, options);
      if (response.record === undefined)
        throw new MusterError('INTERNAL', 'the server sent no record');
      return fromWireRecord(response.record);
    });
  }

  enumerate(request: EnumerateRequest = {}, options?: CallOptions): Promise<EnumerateResult> {
    return call(async () => {
      const filter = toWireFilter(request.filter);
      const response = await this.#service.enumerate(
        {
          namespace: this.name,
          limit: request.limit ?? 0,
          cursor: request.cursor ?? '',
          sort: (request.sort ?? []).map((key) => ({
            by: key.by,
            direction: key.direction === 'desc' ? SortDirection.DESC : SortDirection.ASC,
          })),
          totalCount: request.totalCount ?? false,
          ...(filter && { filter }),
          ...(request.includeMetadata !== undefined && {
            includeMetadata: request.includeMetadata,
          }),
        },
        options,
      );
      return {
        identities: response.identities.map(fromWireRecord),
        ...(response.nextCursor !== '' && { nextCursor: response.nextCursor }),
        ...(response.totalCount !== undefined && { totalCount: response.totalCount }),
      };
    });
  }

  async *enumerateAll(
    request: Omit<EnumerateRequest, 'cursor' | 'totalCount'> = {},
    options?: CallOptions,
  ): AsyncIterableIterator<IdentityRecord> {
    let cursor: string | undefined;
    do {
      const page = await this.enumerate(
        cursor === undefined ? request : { ...request, cursor },
        options,
      );
      yield* page.identities;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  multicast(request: MulticastRequest, options?: CallOptions): Promise<MulticastReport> {
    return call(async () => {
      const filter = toWireFilter(request.filter);
      const response = await this.#service.multicast(
        {
          namespace: this.name,
          ...encodePayload(request),
          delivery: toWireDeliveryMode(request.delivery),
          idempotencyKey: request.idempotencyKey ?? '',
          ...(filter && { filter }),
          ...(request.timeoutMs !== undefined && { timeout: durationFromMs(request.timeoutMs) }),
        },
        options,
      );
      return fromWireReport(response.report);
    });
  }

  getMulticast(multicastId: string, options?: CallOptions): Promise<MulticastReport> {
    return call(async () => {
      const response = await this.#service.getMulticast(
        { namespace: this.name, multicastId },
        options,
      );
      return fromWireReport(response.report);
    });
  }

  subscribe(identity: string, options: SubscribeOptions = {}): Promise<Subscription> {
    return RemoteSubscription.open({
      service: this.#service,
      namespace: this.name,
      identity,
      options,
    });
  }

  watch(request: WatchRequest = {}): Promise<Watch> {
    return RemoteWatch.open(this.#service, this.name, request);
  }
}
