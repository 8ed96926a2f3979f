import type { Clock } from '../clock/clock.js';
import type { DurabilitySlot } from '../slots/durability-slot.js';
import type { InboundMessage, MessagingSlot } from '../slots/messaging-slot.js';
import type { Unsubscribe } from '../slots/registry-slot.js';
import { AsyncQueue } from './async-queue.js';
import type { DeliveryCounts } from './delivery-counts.js';
import { type DurableAcker, DurableMessage } from './durable-message.js';
import { LiveMessage } from './live-message.js';
import { MessageCallbackSink } from './message-callback-sink.js';
import type { Message, Subscription } from './muster-api.js';
import { slotError } from './slot-error.js';

/** How often a subscription looks for new durable messages when the slot cannot notify. */
export const DURABLE_POLL_MS = 100;
/** Most durable messages read per call. */
const READ_BATCH = 256;

export interface SubscriptionContext {
  readonly namespace: string;
  readonly identity: string;
  readonly bufferSize: number;
  /** Hand messages to this callback as they come instead of queueing them for `next()`. */
  readonly onMessage?: ((message: Message) => void) | undefined;
  readonly messaging: MessagingSlot;
  readonly durability: DurabilitySlot | null;
  readonly clock: Clock;
  readonly counts: DeliveryCounts;
  /** A durable message was acked: its multicast's report shows the identity DELIVERED. */
  readonly onAcked: (multicastId: string, createdAt: number) => Promise<void>;
  /** Called once when the subscription ends (the coordinator forgets it). */
  readonly onClose: (subscription: MessageSubscription) => void;
}

/**
 * One identity's inbox. With a durability slot it first reads the identity's durable backlog in
 * order while live messages from the messaging slot are held back, then lets live messages
 * through, and reads newly queued durable ones after the last sequence it read, when notified
 * (or polled). The messaging callback never waits for the consumer: when `bufferSize` messages
 * are waiting, a new live message is dropped and counted in `overflowed` (an acked one then times
 * out at its publisher). Durable messages are read only while there is room, so they are never
 * dropped: they stay queued until acked.
 */
export class MessageSubscription implements Subscription, AsyncIterator<Message>, DurableAcker {
  overflowed = 0;
  readonly namespace: string;
  readonly identity: string;
  readonly #context: SubscriptionContext;
  readonly #queue: AsyncQueue<Message> | MessageCallbackSink;
  /** Live messages held while the durable backlog is read; undefined once it has been. */
  #held: InboundMessage[] | undefined;
  #lastSequence: number | undefined;
  #reading = false;
  /** New durable messages may be waiting (a notification came, or a read was cut short). */
  #dirty = false;
  /** A read stopped because the buffer was full; the next take resumes it. */
  #stalled = false;
  #closed = false;
  #unsubscribers: Unsubscribe[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #signal: AbortSignal | undefined;

  private constructor(context: SubscriptionContext) {
    this.namespace = context.namespace;
    this.identity = context.identity;
    this.#context = context;
    this.#queue =
      context.onMessage === undefined
        ? new AsyncQueue<Message>(this.#onTake)
        : new MessageCallbackSink(context.onMessage, this.#onTake, context.identity);
    if (context.durability !== null) this.#held = [];
  }

  /** Subscribes to the slots; rejects (and leaves nothing behind) when one of them fails. */
  static async open(
    context: SubscriptionContext,
    signal: AbortSignal | undefined,
  ): Promise<MessageSubscription> {
    const subscription = new MessageSubscription(context);
    const { durability, messaging, namespace, identity } = context;
    try {
      if (durability !== null) {
        if (durability.supports.notify && durability.onAvailable !== undefined)
          subscription.#unsubscribers.push(
            await durability.onAvailable(namespace, identity, subscription.wake),
          );
        else {
          subscription.#timer = setInterval(subscription.wake, DURABLE_POLL_MS);
          subscription.#timer.unref?.();
        }
      }
      subscription.#unsubscribers.push(
        await messaging.subscribe(namespace, identity, subscription.#onMessage),
      );
    } catch (error) {
      await subscription.close();
      throw slotError(error);
    }
    if (signal !== undefined) {
      subscription.#signal = signal;
      signal.addEventListener('abort', subscription.#onAbort, { once: true });
      if (signal.aborted) await subscription.close();
    }
    if (durability !== null && !subscription.#closed) subscription.wake();
    return subscription;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** New durable messages may be waiting: read them (now, or after the read in progress). */
  wake = (): void => {
    this.#dirty = true;
    if (!this.#reading && !this.#closed) void this.#read();
  };

  [Symbol.asyncIterator](): AsyncIterator<Message> {
    return this;
  }

  next(): Promise<IteratorResult<Message>> {
    return this.#queue.next();
  }

  async return(): Promise<IteratorResult<Message>> {
    await this.close();
    return { done: true, value: undefined };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#held = undefined;
    this.#queue.end();
    clearInterval(this.#timer);
    clearTimeout(this.#retry);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#context.onClose(this);
    const unsubscribers = this.#unsubscribers;
    this.#unsubscribers = [];
    await Promise.all(unsubscribers.map((unsubscribe) => unsubscribe().catch(() => {})));
  }

  /**
   * Acks in the queue, then marks the report. When the mark fails the ack rejects: acking
   * again is harmless and records the mark.
   */
  async ackDurable(sequence: number, multicastId: string, createdAt: number): Promise<void> {
    const { durability, namespace, identity, counts } = this.#context;
    try {
      await durability!.ack(namespace, identity, [sequence]);
      counts.acked(namespace, identity, sequence);
      await this.#context.onAcked(multicastId, createdAt);
    } catch (error) {
      throw slotError(error);
    }
  }

  /** A message reaches the consumer: count a durable delivery, resume a read the buffer stopped. */
  #onTake = (message: Message): void => {
    if (message instanceof DurableMessage) {
      const { namespace, identity } = this.#context;
      this.#context.counts.delivered(namespace, identity, message.sequence);
    }
    if (this.#stalled) {
      this.#stalled = false;
      this.wake();
    }
  };

  #onAbort = (): void => {
    void this.close();
  };

  #onMessage = (inbound: InboundMessage): void => {
    if (this.#closed) return;
    const held = this.#held;
    if (held !== undefined) {
      if (held.length >= this.#context.bufferSize) this.overflowed++;
      else held.push(inbound);
      return;
    }
    if (this.#queue.size >= this.#context.bufferSize) this.overflowed++;
    else this.#queue.push(new LiveMessage(inbound));
  };

  /** Reads durable messages after the last one read while there is room, until none are left. */
  async #read(): Promise<void> {
    const { durability, namespace, identity, bufferSize, clock, counts } = this.#context;
    this.#reading = true;
    try {
      while (this.#dirty && !this.#closed) {
        this.#dirty = false;
        const room = bufferSize - this.#queue.size;
        if (room <= 0) {
          this.#stalled = true;
          return;
        }
        const limit = Math.min(room, READ_BATCH);
        const after = this.#lastSequence;
        const messages = await durability!.read(
          namespace,
          identity,
          after === undefined ? { limit } : { after, limit },
          clock.now(),
        );
        if (this.#closed) return;
        for (const queued of messages) {
          this.#lastSequence = queued.sequence;
          const previous = counts.previous(namespace, identity, queued.sequence);
          this.#queue.push(new DurableMessage(queued, previous, this));
        }
        if (messages.length === limit) this.#dirty = true;
        else if (this.#held !== undefined) this.#releaseHeld();
      }
    } catch {
      // The durability backend is unavailable: try again shortly (it may come back).
      this.#dirty = true;
      if (!this.#closed) {
        this.#retry = setTimeout(this.wake, DURABLE_POLL_MS);
        this.#retry.unref?.();
      }
    } finally {
      this.#reading = false;
    }
  }

  /** The backlog is read: live messages held meanwhile follow it, in arrival order. */
  #releaseHeld(): void {
    const held = this.#held!;
    this.#held = undefined;
    for (const inbound of held) this.#queue.push(new LiveMessage(inbound));
  }
}
