import type { Envelope } from '@muster/core';
import type { EnvelopeBatchEncoder } from './envelope-codec.js';
import type { FrameBufferPool } from './frame-buffer-pool.js';

const CRLF = 0x0d0a;

/**
 * A batch of NATS `PUB` frames (`PUB <subject> [<reply>] <size>\r\n<body>\r\n`) built in one
 * growing buffer, each body an encoded envelope written in place: no per-message buffers. The
 * buffer comes from `pool`; the caller gives `buffer` back once the connection is done with it
 * (the connection keeps a reference until the socket has sent it).
 */
export class PublishFrames {
  readonly #pool: FrameBufferPool;
  #buffer: Buffer;
  #length = 0;
  #messages = 0;
  #payloadBytes = 0;

  constructor(pool: FrameBufferPool, expectedMessages: number, bytesPerMessage: number) {
    this.#pool = pool;
    this.#buffer = pool.take(Math.max(256, expectedMessages * bytesPerMessage));
  }

  /** The whole buffer the frames are in, to give back to the pool. */
  get buffer(): Buffer {
    return this.#buffer;
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
    const grown = this.#pool.take(Math.max(needed, this.#buffer.length * 2));
    this.#buffer.copy(grown, 0, 0, this.#length);
    // Not sent yet: the smaller buffer can serve another batch at once.
    this.#pool.give(this.#buffer);
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
