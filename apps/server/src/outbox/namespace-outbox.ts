import type { OutboxRelay, PostgresOutbox } from '@muster/postgres';

/** A namespace's transactional outbox (RFC-017 example 4) and this instance's relay, if any. */
export interface NamespaceOutbox {
  readonly namespace: string;
  readonly outbox: PostgresOutbox;
  /** Undefined with `relay: false`: other instances publish this namespace's outbox. */
  readonly relay: OutboxRelay | undefined;
  /** Starts the relay (idempotent; nothing without one). */
  start(): void;
  /** Stops the relay, waiting for its batch in flight, then closes the outbox's connections. */
  close(): Promise<void>;
}
