import type { Message as WireMessage } from '@muster/api';
import type { Message } from './client-api.js';

const decoder = new TextDecoder();

/** A received message; `ack` goes through the subscription that received it. */
export class RemoteMessage implements Message {
  readonly messageId: string;
  readonly multicastId: string;
  readonly identity: string;
  readonly payload: Uint8Array;
  readonly contentType: string;
  readonly attempt: number;
  readonly #ack: (messageId: string) => Promise<void>;

  constructor(wire: WireMessage, ack: (messageId: string) => Promise<void>) {
    this.messageId = wire.messageId;
    this.multicastId = wire.multicastId;
    this.identity = wire.identity;
    this.payload = wire.payload;
    this.contentType = wire.contentType;
    this.attempt = wire.attempt;
    this.#ack = ack;
  }

  text(): string {
    return decoder.decode(this.payload);
  }

  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }

  ack(): Promise<void> {
    return this.#ack(this.messageId);
  }
}
