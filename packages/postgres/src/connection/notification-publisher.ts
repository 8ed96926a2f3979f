import pg from 'pg';

/** One notification to send. */
export interface Notification {
  readonly channel: string;
  readonly payload: string;
}

// One statement per batch. Notifications are not durable anyway, so this transaction skips
// waiting for its WAL flush (synchronous_commit off applies to it alone).
// The batch travels as one JSON array of [channel, payload] pairs: native JSON.stringify, where
// text[] elements would be escaped one by one in JavaScript.
const SEND = `SELECT pg_notify(n ->> 0, n ->> 1)
  FROM (SELECT set_config('synchronous_commit', 'off', true)) AS settings,
       json_array_elements($1::json) AS n`;

/**
 * Sends NOTIFYs after the writes they describe have committed, batched: while one batch is in
 * flight the next one collects. PostgreSQL serialises every committing transaction that
 * notified (a database-wide lock held through the commit's WAL flush), so a NOTIFY inside each
 * write would cap writes at one commit per flush; batching makes it one lock per batch and
 * leaves the writes to group-commit freely.
 *
 * A notification reaches listeners only if this process lives past the commit: a crash in
 * between loses it, as a listener that is reconnecting loses what was sent meanwhile.
 */
export class NotificationPublisher {
  readonly #clientConfig: pg.ClientConfig;
  readonly #onError: ((error: unknown) => void) | undefined;
  /** Its own connection: a batch never queues behind the writes waiting for the pool. */
  #client: Promise<pg.Client> | undefined;
  #closed = false;
  #pending: Notification[] = [];
  #waiting: (() => void)[] = [];
  #flushing = false;

  constructor(clientConfig: pg.ClientConfig, onError?: (error: unknown) => void) {
    this.#clientConfig = clientConfig;
    this.#onError = onError;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = await this.#client?.catch(() => undefined);
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  #connected(): Promise<pg.Client> {
    if (this.#client === undefined) {
      const client = new pg.Client(this.#clientConfig);
      // A lost connection is replaced on the next batch.
      const drop = () => {
        if (this.#client === connecting) this.#client = undefined;
        client.end().catch(() => undefined);
      };
      client.on('error', drop);
      client.on('end', drop);
      const connecting = client.connect().then(
        () => client,
        (error: unknown) => {
          drop();
          throw error;
        },
      );
      this.#client = connecting;
    }
    return this.#client;
  }

  /** Queues notifications (kept in order) and resolves once their batch was sent or failed. */
  publish(notifications: readonly Notification[]): Promise<void> {
    if (notifications.length === 0) return Promise.resolve();
    this.#pending.push(...notifications);
    const sent = new Promise<void>((resolve) => this.#waiting.push(resolve));
    if (!this.#flushing) {
      this.#flushing = true;
      // After this turn's microtasks: the callers of one batch of puts all announce in it.
      setImmediate(() => void this.#flush());
    }
    return sent;
  }

  async #flush(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending;
        const waiting = this.#waiting;
        this.#pending = [];
        this.#waiting = [];
        try {
          if (this.#closed) throw new Error('the registry is closed');
          const client = await this.#connected();
          await client.query(SEND, [
            JSON.stringify(
              batch.map((notification) => [notification.channel, notification.payload]),
            ),
          ]);
        } catch (error) {
          this.#report(error);
        } finally {
          for (const resolve of waiting) resolve();
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  #report(error: unknown): void {
    try {
      this.#onError?.(error);
    } catch {
      // The error handler failing must not stop later batches.
    }
  }
}
