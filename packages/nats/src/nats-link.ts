import { MusterError } from '@muster/core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DEFAULT_OPERATION_TIMEOUT_MS, type NatsSlotOptions } from './nats-slot-options.js';

/**
 * A slot's connection and what the slot needs to know about it: whether it is up right now
 * (nats.js buffers writes while reconnecting; a slot answers UNAVAILABLE instead of letting
 * a caller wait on a server that is gone), bounded flushes, and reconnect notifications (nats.js
 * re-subscribes by itself, but messages published meanwhile are gone and readers may need a nudge).
 */
export class NatsLink {
  readonly connection: NatsConnection;
  readonly timeoutMs: number;
  #owned: boolean;
  #connected = true;
  #closed = false;
  #closing: Promise<void> | undefined;
  #onReconnect = new Set<() => void>();
  #pendingFlush: Promise<void> | undefined;
  /** Rejects when the slot closes: nothing waits on a connection that is going away. */
  #closedError: Promise<never>;
  #rejectClosed: (error: Error) => void = () => {};

  private constructor(connection: NatsConnection, owned: boolean, timeoutMs: number) {
    this.connection = connection;
    this.#owned = owned;
    this.timeoutMs = timeoutMs;
    this.#closedError = new Promise<never>((_, reject) => {
      this.#rejectClosed = reject;
    });
    this.#closedError.catch(() => undefined);
    void this.#follow();
  }

  static async open(options: NatsSlotOptions, what: string): Promise<NatsLink> {
    const timeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
    if (!(timeoutMs > 0))
      throw new MusterError('INVALID_ARGUMENT', 'operationTimeoutMs must be a positive number', {
        details: { field: 'operationTimeoutMs' },
      });
    if (options.connection !== undefined) return new NatsLink(options.connection, false, timeoutMs);
    try {
      const connection = await connect({
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        reconnectJitter: 100,
        // nats.js otherwise builds two Error objects (stack traces) per request up front, for
        // call-site traces on failure: most of a JetStream round trip's client CPU. Failures reach
        // callers as MusterError with the cause either way.
        noAsyncTraces: true,
        ...options.connectOptions,
        ...(options.servers === undefined
          ? {}
          : {
              servers: typeof options.servers === 'string' ? options.servers : [...options.servers],
            }),
      });
      return new NatsLink(connection, true, timeoutMs);
    } catch (error) {
      throw new MusterError('UNAVAILABLE', `${what}: cannot connect to NATS`, { cause: error });
    }
  }

  /** Throws UNAVAILABLE when the slot is closed or the server is unreachable right now. */
  check(what: string): void {
    if (this.#closed) throw new MusterError('UNAVAILABLE', `${what} is closed`);
    if (!this.#connected || this.connection.isClosed())
      throw new MusterError('UNAVAILABLE', `${what}: NATS is disconnected (reconnecting)`);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** One PING/PONG: everything written before it has been processed by the server. Bounded. */
  async flush(what: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        this.connection.flush(),
        this.#closedError,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      throw new MusterError('UNAVAILABLE', `${what}: NATS did not answer`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A flush shared by every caller until it is sent: thousands of concurrent subscribes cost
   * one round trip, not one each. Whatever was written before the returned flush is sent is
   * covered (a connection processes its protocol in order).
   */
  flushSoon(what: string): Promise<void> {
    if (this.#pendingFlush !== undefined) return this.#pendingFlush;
    const pending = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#pendingFlush = undefined;
      return this.flush(what);
    });
    this.#pendingFlush = pending;
    return pending;
  }

  /** Calls `listener` after each reconnect; returns a function that stops it. */
  onReconnect(listener: () => void): () => void {
    this.#onReconnect.add(listener);
    return () => this.#onReconnect.delete(listener);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#onReconnect.clear();
    this.#rejectClosed(new Error('the slot was closed'));
    if (this.#owned) await this.connection.close().catch(() => undefined);
  }

  async #follow(): Promise<void> {
    try {
      for await (const status of this.connection.status()) {
        if (status.type === 'disconnect') this.#connected = false;
        else if (status.type === 'reconnect') {
          this.#connected = true;
          for (const listener of [...this.#onReconnect]) {
            try {
              listener();
            } catch {
              // One listener's failure is its own.
            }
          }
        }
      }
    } catch {
      // The status stream ends with the connection.
    }
  }
}
