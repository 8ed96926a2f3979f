import type { Envelope } from '@muster/core';

/** Format version, first byte of every body (a later format can coexist). */
const VERSION = 1;
/** version (1) + createdAt (f64) + attempt (u32) + five string lengths (u32 each). */
const FIXED = 1 + 8 + 4 + 5 * 4;

/** An envelope read back from a body, with the reply address an acked publish attached. */
export interface DecodedBody {
  readonly envelope: Envelope;
  /** Empty when nothing waits for an ack. */
  readonly reply: string;
}

/**
 * One envelope as one binary Redis value (a PUBLISH message, a stream entry field): the version,
 * createdAt and attempt as numbers, then message id, multicast id, identity, content type and
 * reply address as length-prefixed UTF-8, then the payload bytes untouched. Unlike the NATS
 * body it carries the reply address: Redis pub/sub has no reply subject of its own.
 */
export function encodeBody(envelope: Envelope, reply = ''): Buffer {
  const { messageId, multicastId, identity, contentType, payload } = envelope;
  const strings = [messageId, multicastId, identity, contentType, reply];
  const lengths = strings.map((text) => Buffer.byteLength(text));
  let size = FIXED + payload.length;
  for (const length of lengths) size += length;
  const body = Buffer.allocUnsafe(size);
  body[0] = VERSION;
  body.writeDoubleBE(envelope.createdAt, 1);
  body.writeUInt32BE(envelope.attempt, 9);
  let offset = 13;
  for (const length of lengths) offset = body.writeUInt32BE(length, offset);
  for (let i = 0; i < strings.length; i++) offset += body.write(strings[i]!, offset, 'utf8');
  body.set(payload, offset);
  return body;
}

/** The envelope in a body, or undefined when the bytes are not one (a foreign publisher). */
export function decodeBody(body: Buffer): DecodedBody | undefined {
  if (body.length < FIXED || body[0] !== VERSION) return undefined;
  const lengths: number[] = [];
  let offset = 13;
  let size = FIXED;
  for (let i = 0; i < 5; i++, offset += 4) {
    const length = body.readUInt32BE(offset);
    lengths.push(length);
    size += length;
  }
  if (size > body.length) return undefined;
  const strings: string[] = [];
  for (const length of lengths) {
    strings.push(body.toString('utf8', offset, offset + length));
    offset += length;
  }
  return {
    envelope: {
      messageId: strings[0]!,
      multicastId: strings[1]!,
      identity: strings[2]!,
      contentType: strings[3]!,
      attempt: body.readUInt32BE(9),
      createdAt: body.readDoubleBE(1),
      // A copy: the body may be a slice of the client's read buffer.
      payload: new Uint8Array(body.subarray(offset)),
    },
    reply: strings[4]!,
  };
}
