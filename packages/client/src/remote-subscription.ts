import type { SubscribeResponse, Message as WireMessage } from '@muster/api';
import { abortableSleep } from './abortable-sleep.js';
import { AsyncChannel } from './async-channel.js';
import { backoffDelay } from './backoff-delay.js';
import type { Message, ReconnectOptions, SubscribeOptions, Subscription } from './client-api.js';
import { isRetryable } from './is-retryable.js';
import { MusterError } from './muster-error.js';
import { type OpenStream, openStream } from './open-stream.js';
import { RecentMap } from './recent-map.js';
import type { RegistryClient } from './registry-client.js';
import { RemoteMessage } from './remote-message.js';
import { toMusterError } from './to-muster-error.js';

const DEFAULT_DEDUPE_WINDOW = 10_000;
/** Attempts of one acknowledgement before leaving it to the redelivery path. */
const ACK_ATTEMPTS = 3;

/** Received: handed to the consumer. Acked: the consumer acknowledged it. */
type Seen = 'received' | 'acked';

export interface SubscriptionContext {
  readonly service: RegistryClient;
  readonly namespace: string;
  readonly identity: string;
  readonly options: SubscribeOptions;
}

/**
 * One identity's messages over a Subscribe stream that is opened again whenever it breaks. The
 * server keeps at-least-once messages queued until acknowledged and sends the queue first on
 * every new stream, so nothing acknowledged-later is lost across a reconnect; what comes again
 * is recognised by message id and dropped, and an acknowledgement the server never got (sent
 * while the connection was down) is sent again when its message comes back.
 */
export class RemoteSubscription implements Subscription {
  readonly identity: string;
  reconnects = 0;
  duplicatesDropped = 0;
  readonly #context: SubscriptionContext;
  readonly #channel: AsyncChannel<Message>;
  readonly #seen: RecentMap<Seen>;
  /** Aborted by close(): ends backoff waits. */
  readonly #closing = new AbortController();
  #stream: AbortController | undefined;
  #closed = false;
  /** Acknowledgements on their way: close() lets them land before it ends the stream. */
  readonly #acking = new Set<Promise<unknown>>();

  private constructor(context: SubscriptionContext) {
    this.identity = context.identity;
    this.#context = context;
    this.#channel = new AsyncChannel<Message>(() => this.close());
    this.#seen = new RecentMap<Seen>(context.options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW);
  }

  /** Resolves once the server has the subscription live; rejects when it cannot be opened. */
  static async open(context: SubscriptionContext): Promise<RemoteSubscription> {
    const subscription = new RemoteSubscription(context);
    const { signal } = context.options;
    if (signal?.aborted === true)
      throw new MusterError('CANCELLED', 'the subscription was cancelled before it started');
    const stream = await subscription.#connect();
    signal?.addEventListener('abort', () => void subscription.close(), { once: true });
    void subscription.#run(stream);
    return subscription;
  }

  [Symbol.asyncIterator](): AsyncIterator<Message> {
    return this.#channel;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    this.#channel.end();
    // The server acknowledges only for an open stream: end it after the acks in flight.
    await Promise.allSettled([...this.#acking]);
    this.#stream?.abort();
  }

  #connect(): Promise<OpenStream<SubscribeResponse>> {
    const { service, namespace, identity } = this.#context;
    return openStream(
      (signal) => service.subscribe({ namespace, identity }, { signal }),
      (response) => response.event.case === 'started',
    ).then((stream) => {
      this.#stream = stream.controller;
      if (this.#closed) stream.controller.abort();
      return stream;
    });
  }

  /** Reads the stream; when it breaks, reconnects (with backoff) and reads the new one. */
  async #run(stream: OpenStream<SubscribeResponse>): Promise<void> {
    for (;;) {
      let failure: unknown;
      try {
        for (;;) {
          const { done, value } = await stream.responses.next();
          if (done === true) break;
          if (value.event.case === 'message') this.#receive(value.event.value);
        }
        // A server shutting down ends its streams cleanly: the subscription goes on elsewhere.
        failure = new MusterError('UNAVAILABLE', 'the server ended the subscription stream');
      } catch (error) {
        failure = toMusterError(error);
      }
      if (this.#closed) return;
      const next = await this.#reconnect(failure);
      if (next === undefined) return;
      stream = next;
    }
  }

  async #reconnect(failure: unknown): Promise<OpenStream<SubscribeResponse> | undefined> {
    const reconnect: false | ReconnectOptions = this.#context.options.reconnect ?? {};
    for (let attempt = 1; ; attempt++) {
      if (
        reconnect === false ||
        !isRetryable(failure) ||
        (reconnect.maxAttempts !== undefined && attempt > reconnect.maxAttempts)
      ) {
        this.#channel.fail(failure);
        return undefined;
      }
      await abortableSleep(backoffDelay(attempt, reconnect), this.#closing.signal);
      if (this.#closed) return undefined;
      try {
        const stream = await this.#connect();
        if (this.#closed) return undefined;
        this.reconnects++;
        return stream;
      } catch (error) {
        if (this.#closed) return undefined;
        failure = error;
      }
    }
  }

  #receive(wire: WireMessage): void {
    const seen = this.#seen.get(wire.messageId);
    if (seen === undefined) {
      this.#seen.set(wire.messageId, 'received');
      this.#channel.push(new RemoteMessage(wire, this.#ack));
      return;
    }
    this.duplicatesDropped++;
    // Acknowledged, yet sent again: the acknowledgement was lost with the old connection.
    if (seen === 'acked') void this.#sendAck(wire.messageId).catch(() => {});
  }

  #ack = async (messageId: string): Promise<void> => {
    if (this.#seen.get(messageId) === 'acked') return;
    this.#seen.set(messageId, 'acked');
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#sendAck(messageId);
        return;
      } catch (error) {
        // Not retryable: the caller must know (e.g. the key lost its subscribe scope).
        if (!isRetryable(error)) throw error;
        // Out of attempts, or closed: the server redelivers the message to the next stream,
        // and #receive acknowledges it then.
        if (attempt >= ACK_ATTEMPTS || this.#closed) return;
        await abortableSleep(backoffDelay(attempt), this.#closing.signal);
      }
    }
  };

  async #sendAck(messageId: string): Promise<void> {
    const { service, namespace, identity } = this.#context;
    const sent = service.ack({ namespace, identity, messageIds: [messageId] });
    this.#acking.add(sent);
    try {
      await sent;
    } catch (error) {
      throw toMusterError(error);
    } finally {
      this.#acking.delete(sent);
    }
  }
}
