import { MusterError } from '@muster/core';
import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';

interface Pending {
  readonly resolve: (msg: Msg) => void;
  readonly reject: (error: Error) => void;
  readonly deadline: number;
}

/**
 * Request/reply for a slot's hot path (JetStream PubAcks, direct gets, deletes): one wildcard
 * inbox subscription, numbered reply subjects, and one timer for the oldest deadline (every
 * request has the same timeout, so deadlines fall in send order). nats.js's `request` costs far
 * more per call: a token, a timer, and Error objects with stack traces built for every request,
 * answered or not, which made up most of an at-least-once delivery's client CPU.
 */
export class InboxRequests {
  readonly #nc: NatsConnection;
  readonly #timeoutMs: number;
  readonly #what: string;
  readonly #pending = new Map<number, Pending>();
  /** Request numbers in send order (so in deadline order); answered ones are skipped lazily. */
  #order: number[] = [];
  #head = 0;
  #next = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inbox: string | undefined;
  #subscription: Subscription | undefined;

  constructor(nc: NatsConnection, timeoutMs: number, what: string) {
    this.#nc = nc;
    this.#timeoutMs = timeoutMs;
    this.#what = what;
  }

  /** The reply (a status reply, such as 404 or 503, included); rejects with UNAVAILABLE on timeout. */
  request(subject: string, body: Uint8Array, headers?: MsgHdrs): Promise<Msg> {
    const inbox = this.#inbox ?? this.#listen();
    const id = this.#next++;
    return new Promise<Msg>((resolve, reject) => {
      // A publish that throws (closed connection) rejects this promise and leaves nothing behind.
      this.#nc.publish(
        subject,
        body,
        headers === undefined ? { reply: inbox + id } : { reply: inbox + id, headers },
      );
      this.#pending.set(id, { resolve, reject, deadline: performance.now() + this.#timeoutMs });
      this.#order.push(id);
      this.#timer ??= setTimeout(this.#expire, this.#timeoutMs);
    });
  }

  /** Fails every waiting request (the slot is closing). */
  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const error = new MusterError('UNAVAILABLE', `${this.#what} was closed`);
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#order = [];
    this.#head = 0;
    if (this.#subscription !== undefined && !this.#nc.isClosed()) this.#subscription.unsubscribe();
  }

  #listen(): string {
    const inbox = `${createInbox()}.`;
    const start = inbox.length;
    this.#subscription = this.#nc.subscribe(`${inbox}*`, {
      callback: (error, msg) => {
        if (error !== null) return;
        const id = Number(msg.subject.slice(start));
        const pending = this.#pending.get(id);
        if (pending === undefined) return; // timed out already
        this.#pending.delete(id);
        pending.resolve(msg);
      },
    });
    this.#inbox = inbox;
    return inbox;
  }

  /** Rejects the requests whose deadline has passed; re-arms for the oldest one still waiting. */
  #expire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    const order = this.#order;
    let error: MusterError | undefined;
    while (this.#head < order.length) {
      const id = order[this.#head]!;
      const pending = this.#pending.get(id);
      if (pending !== undefined) {
        if (pending.deadline > now) {
          this.#timer = setTimeout(this.#expire, pending.deadline - now + 1);
          break;
        }
        this.#pending.delete(id);
        error ??= new MusterError(
          'UNAVAILABLE',
          `${this.#what}: NATS did not answer within ${this.#timeoutMs} ms`,
        );
        pending.reject(error);
      }
      this.#head++;
    }
    if (this.#head === order.length) {
      this.#order = [];
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#order = order.slice(this.#head);
      this.#head = 0;
    }
  };
}
