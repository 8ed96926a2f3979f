import { type Envelope, MusterError } from '@muster/core';

/** The fields a stored envelope needs, with the right types, else INVALID_ARGUMENT. */
export function checkEnvelope(envelope: Envelope, index: number): void {
  const fault = (field: string, rule: string) =>
    new MusterError('INVALID_ARGUMENT', `envelopes[${index}].${field} must be ${rule}`, {
      details: { field: `envelopes[${index}].${field}` },
    });
  if (typeof envelope !== 'object' || envelope === null)
    throw new MusterError('INVALID_ARGUMENT', `envelopes[${index}] must be an object`, {
      details: { field: `envelopes[${index}]` },
    });
  if (typeof envelope.identity !== 'string' || envelope.identity.length === 0)
    throw fault('identity', 'a non-empty string');
  if (typeof envelope.messageId !== 'string') throw fault('messageId', 'a string');
  if (typeof envelope.multicastId !== 'string') throw fault('multicastId', 'a string');
  if (!(envelope.payload instanceof Uint8Array)) throw fault('payload', 'a Uint8Array');
  if (typeof envelope.contentType !== 'string') throw fault('contentType', 'a string');
  if (!Number.isInteger(envelope.attempt) || envelope.attempt < 1 || envelope.attempt > 2 ** 31 - 1)
    throw fault('attempt', 'a positive 32-bit integer');
  if (!Number.isSafeInteger(envelope.createdAt))
    throw fault('createdAt', 'integer epoch milliseconds');
}
