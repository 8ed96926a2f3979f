import type { Envelope } from '@muster/core';
import type { EnvelopeBatchEncoder } from './envelope-codec.js';

const CRLF = 0x0d0a;

/**
 * A batch of NATS `PUB` frames (`PUB <subject> [<reply>] <size>\r\n<body>\r\n`) built in one
 * growing buffer, each body an encoded envelope written in place: no per-message buffers. A
 * fresh buffer per batch, since the connection keeps a reference until the socket has sent it.
 */
export class PublishFrames {
  #buffer: Buffer;
  #length = 0;
  #messages = 0;
  #payloadBytes = 0;

  constructor(expectedMessages: number, bytesPerMessage: number) {
    this.#buffer = Buffer.allocUnsafe(Math.max(256, expectedMessages * bytesPerMessage));
  }

  get messages(): number {
    return this.#messages;
  }

  /**
   * Appends one frame for the envelope `encoder` has prepared (`size` bytes). Subjects are
   * ASCII: identity and namespace tokens, the prefix and inboxes are.
   */
  add(
    subject: string,
    reply: string | undefined,
    encoder: EnvelopeBatchEncoder,
    size: number,
  ): void {
    const line =
      reply === undefined ? `PUB ${subject} ${size}\r\n` : `PUB ${subject} ${reply} ${size}\r\n`;
    this.#reserve(line.length + size + 2);
    const buffer = this.#buffer;
    let offset = this.#length + buffer.write(line, this.#length, 'latin1');
    offset = encoder.writeTo(buffer, offset);
    buffer.writeUInt16BE(CRLF, offset);
    this.#length = offset + 2;
    this.#messages++;
    this.#payloadBytes += size;
  }

  /** The frames written so far, and the payload bytes among them. */
  bytes(): { readonly frames: Uint8Array; readonly payloadBytes: number } {
    return { frames: this.#buffer.subarray(0, this.#length), payloadBytes: this.#payloadBytes };
  }

  #reserve(bytes: number): void {
    const needed = this.#length + bytes;
    if (needed <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.#buffer.length * 2));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }
}

/** Bytes per frame to reserve up front for a batch: the body plus the PUB line. */
export function frameEstimate(
  envelope: Envelope,
  subjectLength: number,
  replyLength: number,
): number {
  return (
    envelope.payload.length +
    envelope.messageId.length * 3 +
    envelope.identity.length * 3 +
    envelope.multicastId.length +
    envelope.contentType.length +
    subjectLength +
    replyLength +
    64
  );
}
