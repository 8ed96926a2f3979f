import {
  type Envelope,
  encodeIdentityToken,
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
import {
  createInbox,
  Empty,
  type Msg,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import { AckWait } from './ack-wait.js';
import { decodeEnvelope, EnvelopeBatchEncoder, envelopeEncoder } from './envelope-codec.js';
import { FrameBufferPool } from './frame-buffer-pool.js';
import { NatsLink } from './nats-link.js';
import { DEFAULT_SUBJECT_PREFIX, type NatsSlotOptions } from './nats-slot-options.js';
import { type ProtocolWriter, protocolWriter } from './protocol-writer.js';
import { frameEstimate, PublishFrames } from './publish-frames.js';
import { checkSubjectPrefix, messagingSubjectBase } from './subjects.js';

/**
 * Core NATS: a plain publish reports nothing back, so at-most-once is SENT whether or not anybody
 * listens (no `presence`); request/reply gives acked delivery, and the server's "no responders"
 * answer gives NO_SUBSCRIBER for it.
 */
export const NATS_MESSAGING_SUPPORTS: MessagingSupports = Object.freeze({
  atMostOnce: true,
  acked: true,
  presence: false,
  distributed: true,
});

const WHAT = 'the NATS messaging slot';
const CLOSED = Object.freeze({ code: 'UNAVAILABLE', message: 'the messaging slot was closed' });
const CANCELLED = Object.freeze({ code: 'CANCELLED', message: 'the publish was cancelled' });
const NO_RESPONDERS = 503;

/** One `subscribe` call. `active` turns false on unsubscribe, even during a delivery. */
interface Handler {
  readonly onMessage: (message: InboundMessage) => void;
  active: boolean;
}

/** One NATS subscription per subject, shared by every local `subscribe` of that identity. */
interface SubjectSubscription {
  readonly identity: string;
  readonly subscription: Subscription;
  handlers: readonly Handler[];
}

/**
 * The NATS messaging slot. Each identity has its own subject,
 * `<prefix>.<namespace token>.<identity token>`. A publish writes every envelope of the batch and
 * flushes once (one round trip per call, never one per target). Acked envelopes carry a reply
 * subject under one inbox subscription of the slot; the subscriber's `ack()` is the reply.
 */
export async function createNatsMessaging(options: NatsSlotOptions = {}): Promise<MessagingSlot> {
  const prefix = checkSubjectPrefix(options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX);
  return new NatsMessaging(await NatsLink.open(options, WHAT), prefix);
}

class NatsMessaging implements MessagingSlot {
  readonly supports = NATS_MESSAGING_SUPPORTS;
  readonly #link: NatsLink;
  readonly #nc: NatsConnection;
  /** Whole batches as one write of ready-made frames; undefined: one `publish` per message. */
  readonly #writer: ProtocolWriter | undefined;
  readonly #prefix: string;
  readonly #buffers = new FrameBufferPool();
  readonly #subjects = new Map<string, SubjectSubscription>();
  /** Acked publishes waiting for replies, by batch number (the reply subject says which). */
  readonly #waiting = new Map<number, AckWait>();
  #nextBatch = 0;
  #inbox: string | undefined;
  #replies: Subscription | undefined;

  constructor(link: NatsLink, prefix: string) {
    this.#link = link;
    this.#nc = link.connection;
    this.#writer = protocolWriter(link.connection);
    this.#prefix = prefix;
  }

  async publish(
    namespace: string,
    envelopes: readonly Envelope[],
    options: PublishOptions,
  ): Promise<readonly PublishResult[]> {
    this.#link.check(WHAT);
    if (options.signal?.aborted) return envelopes.map((e) => publishResult(e, 'FAILED', CANCELLED));
    if (envelopes.length === 0) return [];
    const base = messagingSubjectBase(this.#prefix, namespace);
    if (options.mode === 'acked') return this.#publishAcked(base, envelopes, options);
    const results = new Array<PublishResult>(envelopes.length);
    const buffer = this.#writeAll(base, envelopes, undefined, (i, failure) => {
      results[i] = failure;
    });
    for (let i = 0; i < envelopes.length; i++) results[i] ??= publishResult(envelopes[i]!, 'SENT');
    // SENT means the server has taken the messages, not merely that they sit in a local buffer.
    await this.#link.flush(WHAT);
    if (buffer !== undefined) this.#buffers.give(buffer);
    return results;
  }

  async subscribe(
    namespace: string,
    identity: string,
    onMessage: (message: InboundMessage) => void,
  ): Promise<Unsubscribe> {
    this.#link.check(WHAT);
    const subject = messagingSubjectBase(this.#prefix, namespace) + encodeIdentityToken(identity);
    let shared = this.#subjects.get(subject);
    if (shared === undefined) {
      const created: SubjectSubscription = {
        identity,
        handlers: [],
        subscription: this.#nc.subscribe(subject, {
          callback: (error, msg) => {
            if (error === null) deliver(created, msg, this.#nc);
          },
        }),
      };
      shared = created;
      this.#subjects.set(subject, shared);
    }
    const handler: Handler = { onMessage, active: true };
    shared.handlers = [...shared.handlers, handler];
    const entry = shared;
    const unsubscribe = async (): Promise<void> => {
      if (!handler.active) return;
      handler.active = false;
      entry.handlers = entry.handlers.filter((h) => h !== handler);
      if (entry.handlers.length === 0 && this.#subjects.get(subject) === entry) {
        this.#subjects.delete(subject);
        if (!this.#nc.isClosed()) entry.subscription.unsubscribe();
      }
    };
    try {
      // Live once the server has processed the SUB: one shared round trip for many subscribes.
      await this.#link.flushSoon(WHAT);
    } catch (error) {
      await unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  async close(): Promise<void> {
    if (this.#link.closed) return this.#link.close();
    for (const shared of this.#subjects.values()) {
      for (const handler of shared.handlers) handler.active = false;
      if (!this.#nc.isClosed()) shared.subscription.unsubscribe();
    }
    this.#subjects.clear();
    if (this.#replies !== undefined && !this.#nc.isClosed()) this.#replies.unsubscribe();
    for (const wait of [...this.#waiting.values()]) wait.settleRemaining('FAILED', CLOSED);
    await this.#link.close();
  }

  async #publishAcked(
    base: string,
    envelopes: readonly Envelope[],
    options: PublishOptions,
  ): Promise<readonly PublishResult[]> {
    const inbox = this.#replyInbox();
    const batch = this.#nextBatch++;
    const wait = new AckWait(envelopes);
    this.#waiting.set(batch, wait);
    try {
      const buffer = this.#writeAll(base, envelopes, `${inbox}.${batch}.`, (i, failure) =>
        wait.settle(i, failure.status, failure.error),
      );
      await this.#link.flush(WHAT);
      if (buffer !== undefined) this.#buffers.give(buffer);
    } catch (error) {
      this.#waiting.delete(batch);
      throw error;
    }
    return wait.wait(options.timeoutMs, options.signal, () => this.#waiting.delete(batch));
  }

  /**
   * Writes every envelope of a batch (acked ones with the reply subject `<replyBase><index>`);
   * an envelope the server would refuse (larger than its max_payload) goes to `onFailure`.
   * Returns the frame buffer written, to give back to the pool once a flush after it succeeds
   * (a failed flush keeps it out: the connection may still send it after a reconnect).
   */
  #writeAll(
    base: string,
    envelopes: readonly Envelope[],
    replyBase: string | undefined,
    onFailure: (index: number, failure: PublishResult) => void,
  ): Buffer | undefined {
    const writer = this.#writer;
    if (writer === undefined) {
      const encode = envelopeEncoder();
      for (let i = 0; i < envelopes.length; i++) {
        const reply = replyBase === undefined ? undefined : replyBase + i;
        const failure = this.#write(base, envelopes[i]!, reply, encode);
        if (failure !== undefined) onFailure(i, failure);
      }
      return undefined;
    }
    if (this.#nc.isClosed())
      throw new MusterError('UNAVAILABLE', `${WHAT}: the connection is closed`);
    const maxPayload = writer.maxPayload ?? Number.POSITIVE_INFINITY;
    const encoder = new EnvelopeBatchEncoder();
    const first = envelopes[0]!;
    const frames = new PublishFrames(
      this.#buffers,
      envelopes.length,
      frameEstimate(first, base.length + first.identity.length * 3, (replyBase?.length ?? 0) + 8),
    );
    for (let i = 0; i < envelopes.length; i++) {
      const envelope = envelopes[i]!;
      const size = encoder.prepare(envelope);
      if (size > maxPayload) {
        onFailure(i, tooLarge(envelope, size, maxPayload));
        continue;
      }
      const reply = replyBase === undefined ? undefined : replyBase + i;
      frames.add(base + encodeIdentityToken(envelope.identity), reply, encoder, size);
    }
    if (frames.messages === 0) {
      this.#buffers.give(frames.buffer);
      return undefined;
    }
    const { frames: bytes, payloadBytes } = frames.bytes();
    writer.write(bytes, frames.messages, payloadBytes);
    return frames.buffer;
  }

  /** Writes one envelope; a per-envelope failure (payload too large) as its result. */
  #write(
    base: string,
    envelope: Envelope,
    reply: string | undefined,
    encode: (envelope: Envelope) => Buffer,
  ): PublishResult | undefined {
    const subject = base + encodeIdentityToken(envelope.identity);
    try {
      this.#nc.publish(subject, encode(envelope), reply === undefined ? undefined : { reply });
      return undefined;
    } catch (error) {
      if (this.#nc.isClosed() || this.#link.closed)
        throw new MusterError('UNAVAILABLE', `${WHAT}: the connection is closed`, {
          cause: error,
        });
      return publishResult(envelope, 'FAILED', {
        code: 'INVALID_ARGUMENT',
        message: `NATS refused the message: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  /** The slot's one reply subscription (`<inbox>.<batch>.<index>`), made on first use. */
  #replyInbox(): string {
    if (this.#inbox !== undefined) return this.#inbox;
    const inbox = createInbox();
    const start = inbox.length + 1;
    this.#replies = this.#nc.subscribe(`${inbox}.>`, {
      callback: (error, msg) => {
        if (error !== null) return;
        const tail = msg.subject.slice(start);
        const dot = tail.indexOf('.');
        const wait = this.#waiting.get(Number(tail.slice(0, dot)));
        if (wait === undefined) return;
        const index = Number(tail.slice(dot + 1));
        // The server answers a request nobody subscribes to with a 503 status at once.
        if (msg.headers?.code === NO_RESPONDERS) wait.settle(index, 'NO_SUBSCRIBER');
        else wait.settle(index, 'DELIVERED');
      },
    });
    this.#inbox = inbox;
    return inbox;
  }
}

/** The reply that acks a message; a closed connection leaves the publisher to time out. */
function replyTo(nc: NatsConnection, reply: string): void {
  try {
    nc.publish(reply, Empty);
  } catch {
    // The connection is closed: the publisher sees a TIMEOUT, which is what happened.
  }
}

/** Hands one message to every active handler of the subject; a throwing handler is its own problem. */
function deliver(shared: SubjectSubscription, msg: Msg, nc: NatsConnection): void {
  // Whose subject it came on says whose message it is: no need to read the identity back.
  const envelope = decodeEnvelope(msg.data, shared.identity);
  if (envelope === undefined) return;
  const reply = msg.reply;
  const message: InboundMessage =
    reply === '' || reply === undefined
      ? new SentMessage(envelope)
      : new RepliedMessage(envelope, () => replyTo(nc, reply));
  const handlers = shared.handlers;
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

function tooLarge(envelope: Envelope, size: number, maxPayload: number): PublishResult {
  return publishResult(envelope, 'FAILED', {
    code: 'INVALID_ARGUMENT',
    message: `NATS refused the message: ${size} bytes is more than the server's max_payload (${maxPayload})`,
  });
}
