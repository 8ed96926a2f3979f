import { randomBytes } from 'node:crypto';
import {
  AckedPublishWait,
  type Envelope,
  type InboundMessage,
  type MessagingSlot,
  type MessagingSupports,
  MusterError,
  type PublishOptions,
  type PublishResult,
  publishResult,
  RepliedMessage,
  SentMessage,
  type Unsubscribe,
} from '@muster/core';
import type { Redis, RedisValue } from 'ioredis';
import { checkKeyPrefix } from './check-key-prefix.js';
import { decodeBody, encodeBody } from './envelope-body.js';
import { messagingChannel, messagingChannelBase, replyChannel } from './messaging-channels.js';
import { closeConnection, openConnection } from './open-connection.js';
import { publishBatchScript } from './publish-script.js';
import { redisError } from './redis-error.js';
import { DEFAULT_KEY_PREFIX, type RedisSlotOptions } from './redis-slot-options.js';
import { SubscriberLink } from './subscriber-link.js';

/**
 * Redis pub/sub: PUBLISH answers how many subscriber connections took the message, so the slot
 * knows at publish time whether anybody listens (`presence`). Acked delivery is request/reply
 * over a reply channel of the publishing slot.
 */
export const REDIS_MESSAGING_SUPPORTS: MessagingSupports = Object.freeze({
  atMostOnce: true,
  acked: true,
  presence: true,
  distributed: true,
});

const WHAT = 'the redis messaging slot';
const CANCELLED = Object.freeze({ code: 'CANCELLED', message: 'the publish was cancelled' });
const CLOSED = Object.freeze({ code: 'UNAVAILABLE', message: 'the messaging slot was closed' });

/** One `subscribe` call. `active` turns false on unsubscribe, even during a delivery. */
interface Handler {
  readonly onMessage: (message: InboundMessage) => void;
  active: boolean;
}

/**
 * The Redis messaging slot. Each identity has its own channel, `{prefix:ns}:m:<identity token>`.
 * One command connection publishes (a whole batch in one pipeline: one round trip per call,
 * never one per target) and sends acks; one subscriber connection holds every channel this
 * slot listens to and hands each message to the local handlers of its channel.
 */
export function createRedisMessaging(options: RedisSlotOptions = {}): MessagingSlot {
  return new RedisMessaging(checkKeyPrefix(options.keyPrefix ?? DEFAULT_KEY_PREFIX), options);
}

class RedisMessaging implements MessagingSlot {
  readonly supports = REDIS_MESSAGING_SUPPORTS;
  readonly #prefix: string;
  readonly #commands: Redis;
  readonly #publishBatch: (args: RedisValue[]) => Promise<number[]>;
  readonly #subscriber: SubscriberLink;
  readonly #handlers = new Map<string, readonly Handler[]>();
  readonly #bases = new Map<string, string>();
  /** Acked publishes waiting for replies, by batch number (the reply token says which). */
  readonly #waiting = new Map<number, AckedPublishWait>();
  readonly #replyChannel: string;
  #replies: Promise<void> | undefined;
  #nextBatch = 0;
  #closed = false;

  constructor(prefix: string, options: RedisSlotOptions) {
    this.#prefix = prefix;
    this.#commands = openConnection(options, true);
    this.#publishBatch = publishBatchScript(this.#commands);
    this.#subscriber = new SubscriberLink(openConnection(options, false));
    this.#replyChannel = replyChannel(prefix, randomBytes(9).toString('base64url'));
  }

  async publish(
    namespace: string,
    envelopes: readonly Envelope[],
    options: PublishOptions,
  ): Promise<readonly PublishResult[]> {
    this.#check();
    if (options.signal?.aborted) return envelopes.map((e) => publishResult(e, 'FAILED', CANCELLED));
    if (envelopes.length === 0) return [];
    const base = this.#base(namespace);
    if (options.mode === 'acked') return this.#publishAcked(base, envelopes, options);
    const counts = await this.#send(base, envelopes, undefined);
    return envelopes.map((envelope, i) =>
      publishResult(envelope, counts[i]! > 0 ? 'SENT' : 'NO_SUBSCRIBER'),
    );
  }

  async subscribe(
    namespace: string,
    identity: string,
    onMessage: (message: InboundMessage) => void,
  ): Promise<Unsubscribe> {
    this.#check();
    const channel = messagingChannel(this.#base(namespace), identity);
    const handler: Handler = { onMessage, active: true };
    const current = this.#handlers.get(channel);
    this.#handlers.set(channel, current === undefined ? [handler] : [...current, handler]);
    const unsubscribe = async (): Promise<void> => {
      if (!handler.active) return;
      handler.active = false;
      const rest = (this.#handlers.get(channel) ?? []).filter((h) => h !== handler);
      if (rest.length > 0) {
        this.#handlers.set(channel, rest);
        return;
      }
      this.#handlers.delete(channel);
      try {
        await this.#subscriber.unlisten(channel);
      } catch {
        // The connection is gone: its subscriptions went with it, and the restore skips this one.
      }
    };
    try {
      await this.#subscriber.listen(channel, (body) => this.#deliver(channel, body));
    } catch (error) {
      await unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const handlers of this.#handlers.values()) for (const h of handlers) h.active = false;
    this.#handlers.clear();
    for (const wait of [...this.#waiting.values()]) wait.settleRemaining('FAILED', CLOSED);
    this.#waiting.clear();
    await Promise.all([this.#subscriber.close(), closeConnection(this.#commands)]);
  }

  async #publishAcked(
    base: string,
    envelopes: readonly Envelope[],
    options: PublishOptions,
  ): Promise<readonly PublishResult[]> {
    // The caller's budget starts with the publish, not after its round trip.
    const startedAt = performance.now();
    const wait = new AckedPublishWait(envelopes);
    await this.#listenForReplies();
    const batch = this.#nextBatch++;
    this.#waiting.set(batch, wait);
    let counts: readonly number[];
    try {
      counts = await this.#send(base, envelopes, batch);
    } catch (error) {
      this.#waiting.delete(batch);
      throw error;
    }
    for (let i = 0; i < counts.length; i++) if (counts[i] === 0) wait.settle(i, 'NO_SUBSCRIBER');
    const left = options.timeoutMs - (performance.now() - startedAt);
    return wait.wait(left, options.signal, () => this.#waiting.delete(batch));
  }

  /**
   * PUBLISHes the batch in one script call (one round trip, one command): each envelope's
   * receiver count, in order. Rejects (UNAVAILABLE) when the batch could not be sent: nothing
   * or all of it was published, so the caller may retry it.
   */
  async #send(
    base: string,
    envelopes: readonly Envelope[],
    batch: number | undefined,
  ): Promise<readonly number[]> {
    const args = new Array<Buffer | string>(envelopes.length * 2);
    for (let i = 0; i < envelopes.length; i++) {
      const envelope = envelopes[i]!;
      const reply = batch === undefined ? '' : `${batch}.${i}@${this.#replyChannel}`;
      args[2 * i] = messagingChannel(base, envelope.identity);
      args[2 * i + 1] = encodeBody(envelope, reply);
    }
    let counts: number[];
    try {
      counts = await this.#publishBatch(args);
    } catch (error) {
      throw redisError(error, 'publish');
    }
    if (!Array.isArray(counts) || counts.length !== envelopes.length)
      throw new MusterError('INTERNAL', `${WHAT}: the publish script answered ${String(counts)}`);
    return counts;
  }

  /** Subscribes the slot's reply channel once, before the first acked publish goes out. */
  #listenForReplies(): Promise<void> {
    if (this.#replies === undefined) {
      const pending = this.#subscriber.listen(this.#replyChannel, (body) => this.#onReply(body));
      this.#replies = pending;
      pending.catch(() => {
        if (this.#replies === pending) this.#replies = undefined;
      });
    }
    return this.#replies;
  }

  /** A reply is `<batch>.<index>`: the receiver acked that envelope. */
  #onReply(body: Buffer): void {
    const token = body.toString();
    const dot = token.indexOf('.');
    this.#waiting
      .get(Number(token.slice(0, dot)))
      ?.settle(Number(token.slice(dot + 1)), 'DELIVERED');
  }

  /** Publishes `<batch>.<index>` to the publisher's reply channel (`reply` is `<token>@<channel>`). */
  #ack(reply: string): void {
    const at = reply.indexOf('@');
    // A lost ack (connection gone) shows as TIMEOUT at the publisher, which is what happened.
    this.#commands.publish(reply.slice(at + 1), reply.slice(0, at)).catch(() => undefined);
  }

  #deliver(channel: string, body: Buffer): void {
    const handlers = this.#handlers.get(channel);
    if (handlers === undefined) return;
    const decoded = decodeBody(body);
    if (decoded === undefined) return;
    const message: InboundMessage =
      decoded.reply === ''
        ? new SentMessage(decoded.envelope)
        : new RepliedMessage(decoded.envelope, () => this.#ack(decoded.reply));
    for (let i = 0; i < handlers.length; i++) {
      const handler = handlers[i]!;
      if (!handler.active) continue;
      try {
        handler.onMessage(message);
      } catch {
        // Delivery to the other handlers goes on; an acked message nobody acks times out.
      }
    }
  }

  #base(namespace: string): string {
    let base = this.#bases.get(namespace);
    if (base === undefined) {
      base = messagingChannelBase(this.#prefix, namespace);
      this.#bases.set(namespace, base);
    }
    return base;
  }

  #check(): void {
    if (this.#closed) throw new MusterError('UNAVAILABLE', `${WHAT} is closed`);
  }
}
