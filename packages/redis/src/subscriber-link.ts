import type { Redis } from 'ioredis';
import { closeConnection } from './open-connection.js';
import { redisError } from './redis-error.js';

/** Channels per SUBSCRIBE / UNSUBSCRIBE command (one command, one reply per channel). */
const CHUNK = 1_000;

/**
 * A slot's dedicated subscriber connection, demultiplexing messages by channel to one callback
 * each. `listen`/`unlisten` only change the wanted set; one sync per event-loop turn brings the
 * server in line (thousands of subscribes cost one SUBSCRIBE round trip, and a subscribe then an
 * unsubscribe of one channel in the same turn cost nothing). After a reconnect the link
 * subscribes every wanted channel again itself, then calls `onRestored` listeners: messages
 * published while it was away are gone, and the slot may need to wake readers.
 */
export class SubscriberLink {
  readonly #connection: Redis;
  readonly #wanted = new Map<string, (body: Buffer) => void>();
  /** Channels the current connection is subscribed to, or has been asked to subscribe to. */
  readonly #subscribed = new Set<string>();
  #dirty = new Set<string>();
  #scheduled: Promise<void> | undefined;
  /** The last sync's commands: a later sync resolves only after them (one connection, in order). */
  #last: Promise<void> = Promise.resolve();
  readonly #restored = new Set<() => void>();
  #wasReady = false;
  #closed = false;

  constructor(connection: Redis) {
    this.#connection = connection;
    connection.on('messageBuffer', (channel: Buffer, body: Buffer) => {
      this.#wanted.get(channel.toString())?.(body);
    });
    connection.on('ready', () => {
      if (this.#wasReady) void this.#restore();
      this.#wasReady = true;
    });
  }

  /** Routes the channel's messages to `onMessage`; resolves once the server has subscribed it. */
  listen(channel: string, onMessage: (body: Buffer) => void): Promise<void> {
    this.#wanted.set(channel, onMessage);
    this.#dirty.add(channel);
    return this.#sync();
  }

  /** Stops routing the channel; resolves once the server has unsubscribed it. */
  unlisten(channel: string): Promise<void> {
    if (!this.#wanted.delete(channel)) return Promise.resolve();
    this.#dirty.add(channel);
    return this.#closed ? Promise.resolve() : this.#sync();
  }

  /** Calls `listener` after each reconnect, once the channels are subscribed again. */
  onRestored(listener: () => void): () => void {
    this.#restored.add(listener);
    return () => this.#restored.delete(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#wanted.clear();
    this.#restored.clear();
    await closeConnection(this.#connection);
  }

  #sync(): Promise<void> {
    this.#scheduled ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#scheduled = undefined;
      return this.#flush();
    });
    return this.#scheduled;
  }

  #flush(): Promise<void> {
    const dirty = this.#dirty;
    this.#dirty = new Set();
    const add: string[] = [];
    const remove: string[] = [];
    for (const channel of dirty) {
      const wanted = this.#wanted.has(channel);
      if (wanted && !this.#subscribed.has(channel)) add.push(channel);
      else if (!wanted && this.#subscribed.has(channel)) remove.push(channel);
    }
    const sent: Promise<unknown>[] = [this.#last.catch(() => undefined)];
    if (!this.#closed) {
      for (let i = 0; i < remove.length; i += CHUNK) {
        const chunk = remove.slice(i, i + CHUNK);
        for (const channel of chunk) this.#subscribed.delete(channel);
        sent.push(this.#connection.unsubscribe(...chunk));
      }
      for (let i = 0; i < add.length; i += CHUNK) {
        const chunk = add.slice(i, i + CHUNK);
        for (const channel of chunk) this.#subscribed.add(channel);
        sent.push(
          this.#connection.subscribe(...chunk).catch((error: unknown) => {
            // Not subscribed after all: a later sync (or the restore after a reconnect) retries.
            for (const channel of chunk) this.#subscribed.delete(channel);
            throw error;
          }),
        );
      }
    }
    const done = Promise.all(sent).then(
      () => undefined,
      (error: unknown) => {
        throw redisError(error, 'subscribe');
      },
    );
    this.#last = done;
    return done;
  }

  /** A new connection has no subscriptions: subscribe every wanted channel, then tell the slot. */
  async #restore(): Promise<void> {
    this.#subscribed.clear();
    for (const channel of this.#wanted.keys()) this.#dirty.add(channel);
    try {
      await this.#sync();
    } catch {
      // Dropped again: the next 'ready' restores.
      return;
    }
    for (const listener of [...this.#restored]) {
      try {
        listener();
      } catch {
        // One listener's failure is its own.
      }
    }
  }
}
