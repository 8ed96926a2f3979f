import type { Transport } from '@connectrpc/connect';
import type { BackoffOptions } from './backoff-delay.js';

/** JSON as metadata and the JSON form of filters carry it. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A filter: the string syntax (`battery_level < 0.2 and firmware_version startswith "1.0"`) or
 * the JSON form (`{ "battery_level.lt": 0.2 }`). The server parses and checks it.
 */
export type FilterInput = string | Readonly<Record<string, unknown>>;

/** Metadata: a JSON object. */
export type Metadata = Readonly<Record<string, unknown>>;

export interface ClientOptions {
  /** The server, e.g. `http://127.0.0.1:7070`. Ignored when `transport` is given. */
  readonly baseUrl?: string;
  /** An API key, sent as `authorization: Bearer <token>`; a function is asked on every call. */
  readonly token?: string | (() => string | Promise<string>);
  /**
   * Another ConnectRPC transport, e.g. connect-node's `createGrpcTransport` in Node. Default:
   * Connect over `fetch` (connect-web), which works in browsers and Node alike.
   */
  readonly transport?: Transport;
  /** The `fetch` of the default transport (to set credentials, or in tests). */
  readonly fetch?: typeof globalThis.fetch;
  /** Default transport: protobuf binary instead of JSON on the wire. Default false. */
  readonly useBinaryFormat?: boolean;
}

/** Per-call options of unary calls. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface IdentityRecord {
  readonly identity: string;
  readonly metadata: Metadata;
  /** Epoch milliseconds, as in @muster/core. */
  readonly registeredAt: number;
  readonly updatedAt: number;
  /** Null for no TTL. */
  readonly expiresAt: number | null;
}

export interface KeepAliveOptions {
  /** How often to heartbeat (ms). Default a third of the TTL the server granted. */
  readonly intervalMs?: number;
  /**
   * Register again (with the same metadata) when a heartbeat finds the identity gone, e.g.
   * after it expired during a network outage. Default true.
   */
  readonly reregister?: boolean;
  /** Told about heartbeats that failed; the keep-alive carries on at the next interval. */
  readonly onError?: (error: unknown) => void;
}

export interface RegisterRequest {
  readonly identity: string;
  readonly metadata?: Metadata;
  /** TTL in ms; default the namespace's default TTL (or none). */
  readonly ttlMs?: number;
  /** Replace an existing registration instead of failing with ALREADY_EXISTS. Default false. */
  readonly replace?: boolean;
  /** Heartbeat until the registration is closed (needs a TTL). `true` for the defaults. */
  readonly keepAlive?: boolean | KeepAliveOptions;
}

export interface RegisterResult {
  readonly identity: string;
  readonly registeredAt: number;
  readonly expiresAt: number | null;
}

/** A registration: with `keepAlive`, heartbeats run until `close()`. */
export interface Registration extends RegisterResult {
  /** Heartbeats that succeeded so far (keep-alive only). */
  readonly heartbeats: number;
  /** Stops heartbeating and, unless `{ unregister: false }`, unregisters the identity. */
  close(options?: { readonly unregister?: boolean }): Promise<void>;
}

export interface HeartbeatResult {
  readonly identity: string;
  readonly expiresAt: number | null;
}

export interface SortSpec {
  /** A metadata path (`battery_level`, `location.building`), or `registered_at` / `identity`. */
  readonly by: string;
  readonly direction?: 'asc' | 'desc';
}

export interface EnumerateRequest {
  readonly filter?: FilterInput;
  /** Page size; default the namespace's (100), at most its maximum. */
  readonly limit?: number;
  readonly cursor?: string;
  readonly sort?: readonly SortSpec[];
  /** Default true. */
  readonly includeMetadata?: boolean;
  /** Also count every match. Default false. */
  readonly totalCount?: boolean;
}

export interface EnumerateResult {
  readonly identities: readonly IdentityRecord[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
  readonly totalCount?: number;
}

export type DeliveryMode = 'at-most-once' | 'acked' | 'at-least-once';

export type DeliveryStatus =
  | 'SENT'
  | 'DELIVERED'
  | 'QUEUED'
  | 'NO_SUBSCRIBER'
  | 'FAILED'
  | 'TIMEOUT';

export interface MulticastRequest {
  /** Targets: identities matching at publish time; omitted for all. */
  readonly filter?: FilterInput;
  /**
   * The body. A string is sent as UTF-8 (`text/plain; charset=utf-8` unless `contentType`
   * says otherwise). Give either `payload` or `json`.
   */
  readonly payload?: Uint8Array | string;
  /** A JSON body (`application/json`). */
  readonly json?: unknown;
  /** Default `application/octet-stream` for bytes. */
  readonly contentType?: string;
  /** Default 'at-most-once'. */
  readonly delivery?: DeliveryMode;
  /** Default the namespace's multicast timeout. */
  readonly timeoutMs?: number;
  /** A repeated multicast with the same key returns the first one's report. */
  readonly idempotencyKey?: string;
}

export interface IdentityDelivery {
  readonly identity: string;
  readonly status: DeliveryStatus;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface MulticastReport {
  readonly multicastId: string;
  readonly targetCount: number;
  readonly deliveredCount: number;
  /** One per target, sorted by identity. */
  readonly deliveries: readonly IdentityDelivery[];
}

export interface Message {
  readonly messageId: string;
  readonly multicastId: string;
  readonly identity: string;
  readonly payload: Uint8Array;
  readonly contentType: string;
  readonly attempt: number;
  /** The payload decoded as UTF-8. */
  text(): string;
  /** The payload parsed as JSON. */
  json<T = unknown>(): T;
  /**
   * Acknowledges the message (acked and at-least-once deliveries; harmless for at-most-once).
   * During a reconnect the acknowledgement is remembered and sent when the server redelivers.
   */
  ack(): Promise<void>;
}

export interface ReconnectOptions extends BackoffOptions {
  /** Give up after this many failed attempts in a row. Default: never give up. */
  readonly maxAttempts?: number;
}

export interface SubscribeOptions {
  readonly signal?: AbortSignal;
  /** Reconnect after a network loss or server restart, or `false` to end with the error. */
  readonly reconnect?: false | ReconnectOptions;
  /** How many message ids to remember for dropping redeliveries. Default 10,000. */
  readonly dedupeWindow?: number;
}

/**
 * An identity's messages. Iterate it (`for await`); it reconnects by itself and resumes where
 * the server's durable queue stands, dropping messages already seen.
 */
export interface Subscription extends AsyncIterable<Message> {
  readonly identity: string;
  /** How many times the stream was re-established. */
  readonly reconnects: number;
  /** Redelivered messages dropped because their id was already seen. */
  readonly duplicatesDropped: number;
  close(): Promise<void>;
}

export interface WatchRequest {
  readonly filter?: FilterInput;
  /** Start with an `added` event (reason `initial`) for every identity matching now. */
  readonly initial?: boolean;
  readonly signal?: AbortSignal;
}

export interface WatchEvent {
  readonly type: 'added' | 'changed' | 'removed';
  readonly reason: 'initial' | 'registered' | 'updated' | 'unregistered' | 'expired';
  readonly identity: string;
  /** The record after the change; for `removed`, the last known record (when known). */
  readonly record?: IdentityRecord;
  readonly at: number;
}

/** A filter's changes. Ends with an error when the connection is lost (events may be missed). */
export interface Watch extends AsyncIterable<WatchEvent> {
  close(): Promise<void>;
}

/** RFC-017's operations on one namespace of a Muster server. */
export interface NamespaceClient {
  readonly name: string;
  register(request: RegisterRequest, options?: CallOptions): Promise<Registration>;
  heartbeat(
    identity: string,
    options?: CallOptions & { readonly ttlMs?: number },
  ): Promise<HeartbeatResult>;
  /** Idempotent: `removed` is false when the identity was not registered. */
  unregister(identity: string, options?: CallOptions): Promise<{ readonly removed: boolean }>;
  get(identity: string, options?: CallOptions): Promise<IdentityRecord>;
  enumerate(request?: EnumerateRequest, options?: CallOptions): Promise<EnumerateResult>;
  /** Every matching identity, page after page (`limit` is the page size). */
  enumerateAll(
    request?: Omit<EnumerateRequest, 'cursor' | 'totalCount'>,
    options?: CallOptions,
  ): AsyncIterableIterator<IdentityRecord>;
  multicast(request: MulticastRequest, options?: CallOptions): Promise<MulticastReport>;
  getMulticast(multicastId: string, options?: CallOptions): Promise<MulticastReport>;
  /** Resolves once the subscription is live on the server. */
  subscribe(identity: string, options?: SubscribeOptions): Promise<Subscription>;
  /** Resolves once the watch is live on the server. */
  watch(request?: WatchRequest): Promise<Watch>;
}

export interface MusterClient {
  namespace(name: string): NamespaceClient;
}
