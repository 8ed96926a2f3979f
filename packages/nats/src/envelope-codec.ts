import { type Envelope, messageIndexOf } from '@muster/core';

/**
 * Format 2, written by this version: binary fields, no JSON to build or parse per message.
 *   [0] 2  [1] flags  then, by flag: u32 index (message id `<multicastId>-<index>`) or
 *   u32 length + message id; u32 length + identity; f64 createdAt; f64 attempt;
 *   u32 length + multicast id; u32 length + content type; the payload bytes, untouched.
 * Lengths are big-endian byte counts of UTF-8. The fields every target of a multicast shares
 * come last, so a batch builds them once. Format 1 (a JSON array) is still read: JetStream
 * streams may hold bodies an earlier version wrote.
 */
const VERSION = 2;
const INDEXED_ID = 1;
/** Version, flags, then the index or the message id's length. */
const LEAD = 6;

/** Format 1: version byte, 4-byte length of a JSON array of the fields, the array, the payload. */
const VERSION_1 = 1;
const HEAD_1 = 5;
type Meta1 = [string, string, string, string, number, number];

/**
 * One envelope as one NATS message body: a body rather than headers, so the same bytes serve a
 * core subject and a JetStream stream, and nats.js never parses headers on the hot path.
 */
export function encodeEnvelope(envelope: Envelope): Buffer {
  return envelopeEncoder()(envelope);
}

/**
 * An encoder for one batch (one synchronous loop): the envelopes of one multicast share all but
 * message id and identity, so the shared tail is built once per batch, not once per target.
 * Scoped to a batch so a payload mutated between calls is never stale.
 */
export function envelopeEncoder(): (envelope: Envelope) => Buffer {
  const encoder = new EnvelopeBatchEncoder();
  return (envelope) => {
    const body = Buffer.allocUnsafe(encoder.prepare(envelope));
    encoder.writeTo(body, 0);
    return body;
  };
}

/**
 * The same encoding in two steps, for writing many bodies into one buffer: `prepare` measures
 * an envelope, `writeTo` writes the prepared one. One instance per batch (see envelopeEncoder).
 */
export class EnvelopeBatchEncoder {
  #tail: Tail | undefined;
  #index = -1;
  #messageId = '';
  #messageIdLength = 0;
  #identity = '';
  #identityLength = 0;

  /** Prepares `envelope` for the next `writeTo`; returns its encoded length in bytes. */
  prepare(envelope: Envelope): number {
    const last = this.#tail;
    const tail = last === undefined || !sameTail(last, envelope) ? tailOf(envelope) : last;
    this.#tail = tail;
    this.#index = messageIndexOf(envelope.messageId, envelope.multicastId);
    this.#messageId = envelope.messageId;
    this.#messageIdLength = this.#index < 0 ? Buffer.byteLength(envelope.messageId) : 0;
    this.#identity = envelope.identity;
    this.#identityLength = Buffer.byteLength(envelope.identity);
    // An index beyond u32 is written as the id itself.
    if (this.#index > 0xffffffff) {
      this.#index = -1;
      this.#messageIdLength = Buffer.byteLength(envelope.messageId);
    }
    return LEAD + this.#messageIdLength + 4 + this.#identityLength + tail.bytes.length;
  }

  /** Writes the prepared envelope at `offset`; returns the offset after it. */
  writeTo(target: Buffer, offset: number): number {
    const tail = this.#tail!;
    target[offset] = VERSION;
    let at = offset + 2;
    if (this.#index >= 0) {
      target[offset + 1] = INDEXED_ID;
      target.writeUInt32BE(this.#index, at);
      at += 4;
    } else {
      target[offset + 1] = 0;
      target.writeUInt32BE(this.#messageIdLength, at);
      at += 4 + target.write(this.#messageId, at + 4, this.#messageIdLength, 'utf8');
    }
    target.writeUInt32BE(this.#identityLength, at);
    at += 4 + target.write(this.#identity, at + 4, this.#identityLength, 'utf8');
    target.set(tail.bytes, at);
    return at + tail.bytes.length;
  }
}

interface Tail {
  readonly multicastId: string;
  readonly contentType: string;
  readonly attempt: number;
  readonly createdAt: number;
  readonly payload: Uint8Array;
  /** createdAt, attempt, multicast id, content type, then the payload. */
  readonly bytes: Buffer;
}

function sameTail(tail: Tail, envelope: Envelope): boolean {
  return (
    tail.payload === envelope.payload &&
    tail.multicastId === envelope.multicastId &&
    tail.contentType === envelope.contentType &&
    tail.attempt === envelope.attempt &&
    tail.createdAt === envelope.createdAt
  );
}

function tailOf(envelope: Envelope): Tail {
  const multicastIdLength = Buffer.byteLength(envelope.multicastId);
  const contentTypeLength = Buffer.byteLength(envelope.contentType);
  const bytes = Buffer.allocUnsafe(
    24 + multicastIdLength + contentTypeLength + envelope.payload.length,
  );
  bytes.writeDoubleBE(envelope.createdAt, 0);
  bytes.writeDoubleBE(envelope.attempt, 8);
  bytes.writeUInt32BE(multicastIdLength, 16);
  let at = 20 + bytes.write(envelope.multicastId, 20, 'utf8');
  bytes.writeUInt32BE(contentTypeLength, at);
  at += 4 + bytes.write(envelope.contentType, at + 4, 'utf8');
  bytes.set(envelope.payload, at);
  return {
    multicastId: envelope.multicastId,
    contentType: envelope.contentType,
    attempt: envelope.attempt,
    createdAt: envelope.createdAt,
    payload: envelope.payload,
    bytes,
  };
}

/**
 * The envelope in a message body, or undefined when the body is not one (a foreign publisher).
 * `identity`, when given, is taken as the envelope's identity without reading it from the body:
 * a subscriber knows whose subject the message came on.
 */
export function decodeEnvelope(body: Uint8Array, identity?: string): Envelope | undefined {
  if (body.length < LEAD) return undefined;
  // nats.js hands over Buffers (views of its read chunk): no second view needed then.
  const view = Buffer.isBuffer(body)
    ? body
    : Buffer.from(body.buffer, body.byteOffset, body.length);
  if (body[0] === VERSION) return decode2(view, identity);
  if (body[0] === VERSION_1) return decode1(view);
  return undefined;
}

function decode2(view: Buffer, knownIdentity: string | undefined): Envelope | undefined {
  const end = view.length;
  const indexed = (view[1]! & INDEXED_ID) !== 0;
  let at = 2;
  let index = -1;
  let messageId = '';
  if (indexed) {
    index = view.readUInt32BE(at);
    at += 4;
  } else {
    const length = view.readUInt32BE(at);
    at += 4;
    if (at + length > end) return undefined;
    messageId = view.toString('utf8', at, at + length);
    at += length;
  }
  if (at + 4 > end) return undefined;
  const identityLength = view.readUInt32BE(at);
  at += 4;
  if (at + identityLength + 24 > end) return undefined;
  const identity = knownIdentity ?? view.toString('utf8', at, at + identityLength);
  at += identityLength;
  const createdAt = view.readDoubleBE(at);
  const attempt = view.readDoubleBE(at + 8);
  const multicastIdLength = view.readUInt32BE(at + 16);
  at += 20;
  if (at + multicastIdLength + 4 > end) return undefined;
  const multicastId = view.toString('utf8', at, at + multicastIdLength);
  at += multicastIdLength;
  const contentTypeLength = view.readUInt32BE(at);
  at += 4;
  if (at + contentTypeLength > end) return undefined;
  const contentType = view.toString('utf8', at, at + contentTypeLength);
  at += contentTypeLength;
  return {
    messageId: indexed ? `${multicastId}-${index}` : messageId,
    multicastId,
    identity,
    payload: copy(view, at),
    contentType,
    attempt,
    createdAt,
  };
}

/**
 * A copy: the body may be a view of the client's read buffer. Small payloads come from Node's
 * shared allocation pool (no new ArrayBuffer per message), as Node's own small Buffers do.
 */
function copy(view: Buffer, from: number): Uint8Array {
  const pooled = Buffer.allocUnsafe(view.length - from);
  view.copy(pooled, 0, from);
  // A plain Uint8Array over the same bytes: consumers get the type the envelope promises.
  return new Uint8Array(pooled.buffer, pooled.byteOffset, pooled.length);
}

function decode1(view: Buffer): Envelope | undefined {
  if (view.length < HEAD_1) return undefined;
  const metaLength = view.readUInt32BE(1);
  if (HEAD_1 + metaLength > view.length) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(view.toString('utf8', HEAD_1, HEAD_1 + metaLength));
  } catch {
    return undefined;
  }
  if (!isMeta1(meta)) return undefined;
  return {
    messageId: meta[0],
    multicastId: meta[2],
    identity: meta[1],
    payload: copy(view, HEAD_1 + metaLength),
    contentType: meta[3],
    attempt: meta[4],
    createdAt: meta[5],
  };
}

function isMeta1(value: unknown): value is Meta1 {
  return (
    Array.isArray(value) &&
    value.length === 6 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'string' &&
    typeof value[3] === 'string' &&
    typeof value[4] === 'number' &&
    typeof value[5] === 'number'
  );
}
