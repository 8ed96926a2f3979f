import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';

/** How a NATS slot reaches its server; shared by the messaging and the durability slot. */
export interface NatsSlotOptions {
  /** Server URL(s), e.g. `nats://127.0.0.1:4222` (the nats.js default when omitted). */
  readonly servers?: string | readonly string[];
  /**
   * A connection to use instead of opening one. The slot never closes a connection it was
   * given; reconnect behaviour is then the owner's choice.
   */
  readonly connection?: NatsConnection;
  /**
   * Further nats.js connect options (auth, TLS, name...). The slot's defaults reconnect forever
   * (`maxReconnectAttempts: -1`) every 250 ms: a slot outlives server restarts.
   */
  readonly connectOptions?: Omit<ConnectionOptions, 'servers'>;
  /** First token(s) of every subject the slot uses (`[A-Za-z0-9_-]` tokens joined by `.`). Default `muster`. */
  readonly subjectPrefix?: string;
  /** Longest wait for one server round trip (flush, JetStream API call) before UNAVAILABLE. Default 5,000 ms. */
  readonly operationTimeoutMs?: number;
}

export const DEFAULT_SUBJECT_PREFIX = 'muster';
export const DEFAULT_OPERATION_TIMEOUT_MS = 5_000;
