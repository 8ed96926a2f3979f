import type { Envelope } from '@muster/core';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** The envelope fields besides identity and payload, in the `m` header. */
type EnvelopeFields = [
  messageId: string,
  multicastId: string,
  contentType: string,
  attempt: number,
  createdAt: number,
];

/**
 * An envelope as a Kafka record: the key is the identity's token, the value the payload bytes
 * as they are (never re-encoded), and the other fields travel as one JSON header (one header
 * rather than five: kafkajs encodes and decodes every header on its own).
 */
export function envelopeRecord(
  envelope: Envelope,
  key: string,
  partition: number,
  timestamp?: number,
): Message {
  return {
    key,
    value: Buffer.from(
      envelope.payload.buffer,
      envelope.payload.byteOffset,
      envelope.payload.byteLength,
    ),
    partition,
    ...(timestamp === undefined ? {} : { timestamp: String(timestamp) }),
    headers: {
      m: JSON.stringify([
        envelope.messageId,
        envelope.multicastId,
        envelope.contentType,
        envelope.attempt,
        envelope.createdAt,
      ] satisfies EnvelopeFields),
    },
  };
}

/** The envelope a record carries, for `identity` (the subscriber's own, matched by key). */
export function recordEnvelope(record: KafkaMessage, identity: string): Envelope {
  const [messageId, multicastId, contentType, attempt, createdAt] = JSON.parse(
    header(record.headers ?? {}, 'm'),
  ) as EnvelopeFields;
  const value = record.value;
  return {
    messageId,
    multicastId,
    identity,
    // A copy: kafkajs buffers may be slices of a larger fetch response.
    payload: value === null ? new Uint8Array(0) : new Uint8Array(value),
    contentType,
    attempt,
    createdAt,
  };
}

/** A header as text ('' when absent). */
export function header(headers: IHeaders, name: string): string {
  const value = headers[name];
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.length === 0 ? '' : value[0]!.toString();
  return value.toString();
}
