import { MusterError } from '@muster/core';
import { type ApiError, JetStreamApiError } from '@nats-io/jetstream';
import type { Msg } from '@nats-io/transport-node';

/** A stored message as a direct get returns it. */
export interface StoredMessage {
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
}

const NO_RESPONDERS = 503;
const NOT_FOUND = 404;

/**
 * The JSON answer of a JetStream API request or publish; a JetStream error becomes a
 * JetStreamApiError (its `code` is the server's err_code), a status reply (503: nobody
 * answers the subject) an UNAVAILABLE MusterError.
 */
export function apiReply<T>(msg: Msg, what: string): T {
  const status = msg.headers?.code ?? 0;
  if (status !== 0)
    throw new MusterError(
      'UNAVAILABLE',
      status === NO_RESPONDERS
        ? `${what}: no JetStream stream answered (${msg.headers?.description || 'no responders'})`
        : `${what}: JetStream answered with status ${status}`,
    );
  const reply = JSON.parse(
    Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.length).toString(),
  );
  if (reply.error !== undefined) throw new JetStreamApiError(reply.error as ApiError);
  return reply as T;
}

/** The stream sequence a PubAck assigned. */
export function pubAckSequence(msg: Msg, what: string): number {
  const ack = apiReply<{ readonly seq?: unknown }>(msg, what);
  if (typeof ack.seq !== 'number')
    throw new MusterError('UNAVAILABLE', `${what}: JetStream sent an invalid PubAck`);
  return ack.seq;
}

/** A direct get's message, or null when there is none (status 404). */
export function directGetReply(msg: Msg, what: string): StoredMessage | null {
  const headers = msg.headers;
  const status = headers?.code ?? 0;
  if (status === NOT_FOUND) return null;
  if (headers === undefined || status !== 0)
    throw new MusterError(
      'UNAVAILABLE',
      `${what}: a direct get answered with status ${status} ${headers?.description ?? ''}`,
    );
  const seq = Number(headers.last('Nats-Sequence'));
  const subject = headers.last('Nats-Subject');
  if (!Number.isSafeInteger(seq) || subject === '')
    throw new MusterError('UNAVAILABLE', `${what}: a direct get's answer lacks its headers`);
  return { seq, subject, data: msg.data };
}
