import type { Envelope } from '@muster/core';

/** Format version, first byte of every encoded envelope (a later format can coexist). */
const VERSION = 1;
/** Version byte plus the 4-byte big-endian length of the metadata. */
const HEAD = 5;

type Meta = [string, string, string, string, number, number];

/**
 * One envelope as one NATS message body: a version byte, the length of a small JSON array of
 * the envelope's fields (message id, identity, multicast id, content type, attempt, createdAt),
 * that array, then the payload bytes untouched. A body rather than headers: one short string to
 * build and parse per message on the fan-out's hot path, and the same bytes in a JetStream
 * stream as on a core subject.
 */
export function encodeEnvelope(envelope: Envelope): Buffer {
  return envelopeEncoder()(envelope);
}

/**
 * An encoder for one batch (one synchronous loop): the envelopes of one multicast share all but
 * message id and identity, so the shared tail (its JSON and the payload bytes) is built once per
 * batch, not once per target. Scoped to a batch so a payload mutated between calls is never stale.
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
  #head = '';
  #headLength = 0;

  /** Prepares `envelope` for the next `writeTo`; returns its encoded length in bytes. */
  prepare(envelope: Envelope): number {
    const last = this.#tail;
    const tail = last === undefined || !sameTail(last, envelope) ? tailOf(envelope) : last;
    this.#tail = tail;
    const head = `[${jsonString(envelope.messageId)},${jsonString(envelope.identity)},`;
    this.#head = head;
    this.#headLength = Buffer.byteLength(head);
    return HEAD + this.#headLength + tail.bytes.length;
  }

  /** Writes the prepared envelope at `offset`; returns the offset after it. */
  writeTo(target: Buffer, offset: number): number {
    const tail = this.#tail!;
    const headLength = this.#headLength;
    target[offset] = VERSION;
    target.writeUInt32BE(headLength + tail.jsonLength, offset + 1);
    target.write(this.#head, offset + HEAD, headLength, 'utf8');
    target.set(tail.bytes, offset + HEAD + headLength);
    return offset + HEAD + headLength + tail.bytes.length;
  }
}

/** A JSON string literal; message ids and identities are almost always printable ASCII. */
function jsonString(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(value);
  }
  return `"${value}"`;
}

interface Tail {
  readonly multicastId: string;
  readonly contentType: string;
  readonly attempt: number;
  readonly createdAt: number;
  readonly payload: Uint8Array;
  readonly jsonLength: number;
  /** `"<multicast id>","<content type>",<attempt>,<createdAt>]` then the payload. */
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
  const json = `${JSON.stringify(envelope.multicastId)},${JSON.stringify(envelope.contentType)},${JSON.stringify(envelope.attempt)},${JSON.stringify(envelope.createdAt)}]`;
  const jsonLength = Buffer.byteLength(json);
  const bytes = Buffer.allocUnsafe(jsonLength + envelope.payload.length);
  bytes.write(json, 0, jsonLength, 'utf8');
  bytes.set(envelope.payload, jsonLength);
  return {
    multicastId: envelope.multicastId,
    contentType: envelope.contentType,
    attempt: envelope.attempt,
    createdAt: envelope.createdAt,
    payload: envelope.payload,
    jsonLength,
    bytes,
  };
}

/** The envelope in a message body, or undefined when the body is not one (a foreign publisher). */
export function decodeEnvelope(body: Uint8Array): Envelope | undefined {
  if (body.length < HEAD || body[0] !== VERSION) return undefined;
  const view = Buffer.from(body.buffer, body.byteOffset, body.length);
  const metaLength = view.readUInt32BE(1);
  if (HEAD + metaLength > body.length) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(view.toString('utf8', HEAD, HEAD + metaLength));
  } catch {
    return undefined;
  }
  if (!isMeta(meta)) return undefined;
  // A copy: the body may be a view of the client's read buffer.
  const payload = new Uint8Array(body.subarray(HEAD + metaLength));
  return {
    messageId: meta[0],
    multicastId: meta[2],
    identity: meta[1],
    payload,
    contentType: meta[3],
    attempt: meta[4],
    createdAt: meta[5],
  };
}

function isMeta(value: unknown): value is Meta {
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
