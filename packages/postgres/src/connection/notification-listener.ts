import pg from 'pg';

export type NotificationHandler = (payload: string | undefined) => void;

export interface NotificationListenerOptions {
  /** Settings of the dedicated LISTEN connection. */
  readonly clientConfig: pg.ClientConfig;
  /** First delay before reconnecting after the connection is lost; doubles up to 5 s. */
  readonly reconnectDelayMs?: number;
  /** Told about connection losses and failed reconnects (the listener keeps trying). */
  readonly onError?: (error: unknown) => void;
  /**
   * Told when a connection replacing a lost one LISTENs again on every channel: what was
   * notified in between is lost, and from now on nothing more is.
   */
  readonly onReconnect?: () => void;
}

const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * One dedicated connection that LISTENs on the channels somebody watches. A pooled connection
 * cannot hold a LISTEN (it goes back to the pool), hence its own client. When the connection
 * is lost it reconnects with backoff and LISTENs again on every channel; notifications sent
 * while it was down are lost (LISTEN/NOTIFY keeps no backlog).
 */
export class NotificationListener {
  readonly #options: NotificationListenerOptions;
  readonly #channels = new Map<string, Set<{ readonly handler: NotificationHandler }>>();
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #delay: number;
  /** A connection was lost since the last one was made: the next one is a reconnect. */
  #replacing = false;
  #closed = false;

  constructor(options: NotificationListenerOptions) {
    this.#options = options;
    this.#delay = options.reconnectDelayMs ?? 100;
  }

  /** Listens on `channel`; resolves once the LISTEN is active. Returns the way to stop. */
  async listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
    const token = { handler };
    let handlers = this.#channels.get(channel);
    const first = handlers === undefined;
    if (handlers === undefined) {
      handlers = new Set();
      this.#channels.set(channel, handlers);
    }
    handlers.add(token);
    try {
      const client = await this.#connected();
      // A fresh connection LISTENs on every channel as it connects; an existing one needs this.
      if (first) await client.query(`LISTEN ${quoteChannel(channel)}`);
    } catch (error) {
      this.#remove(channel, token);
      throw error;
    }
    return async () => {
      if (this.#remove(channel, token) && this.#client !== undefined)
        await this.#client.query(`UNLISTEN ${quoteChannel(channel)}`).catch(() => undefined);
    };
  }

  /** Ends the connection; listening stops for good. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#channels.clear();
    const client = this.#client ?? (await this.#connecting?.catch(() => undefined));
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Removes a handler; true when it was the channel's last one. */
  #remove(channel: string, token: { readonly handler: NotificationHandler }): boolean {
    const handlers = this.#channels.get(channel);
    if (handlers === undefined || !handlers.delete(token) || handlers.size > 0) return false;
    this.#channels.delete(channel);
    return true;
  }

  #connected(): Promise<pg.Client> {
    if (this.#closed) return Promise.reject(new Error('the notification listener is closed'));
    if (this.#client !== undefined) return Promise.resolve(this.#client);
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client(this.#options.clientConfig);
    client.on('notification', (message) => {
      const handlers = this.#channels.get(message.channel);
      if (handlers === undefined) return;
      for (const { handler } of handlers) handler(message.payload);
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('the LISTEN connection ended')));
    try {
      await client.connect();
      for (const channel of this.#channels.keys())
        await client.query(`LISTEN ${quoteChannel(channel)}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      throw new Error('the notification listener is closed');
    }
    this.#client = client;
    this.#delay = this.#options.reconnectDelayMs ?? 100;
    if (this.#replacing) {
      this.#replacing = false;
      this.#tell(this.#options.onReconnect);
    }
    return client;
  }

  #lost(client: pg.Client, error: unknown): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#replacing = true;
    client.end().catch(() => undefined);
    if (this.#closed) return;
    this.#report(error);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#retry !== undefined || this.#channels.size === 0) return;
    const delay = this.#delay;
    this.#delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (this.#closed || this.#client !== undefined || this.#channels.size === 0) return;
      this.#connected().catch((error: unknown) => {
        this.#report(error);
        this.#scheduleReconnect();
      });
    }, delay);
    this.#retry.unref?.();
  }

  #report(error: unknown): void {
    try {
      this.#options.onError?.(error);
    } catch {
      // A failing error handler must not stop the reconnects.
    }
  }

  #tell(hook: (() => void) | undefined): void {
    try {
      hook?.();
    } catch (error) {
      // A failing hook must not undo the reconnect.
      this.#report(error);
    }
  }
}

/** Channel names are our own hashes; quoting keeps LISTEN safe even so. */
function quoteChannel(channel: string): string {
  return `"${channel.replaceAll('"', '""')}"`;
}
