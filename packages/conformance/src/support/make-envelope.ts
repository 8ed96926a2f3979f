import type { Envelope } from '@muster/core';

let counter = 0;
const encoder = new TextEncoder();

/** An envelope with a unique message id; `payload` text is encoded as UTF-8. */
export function makeEnvelope(
  identity: string,
  payload: string | Uint8Array = `message ${counter + 1}`,
  overrides: Partial<Envelope> = {},
): Envelope {
  counter++;
  return {
    messageId: `m-${counter}-${identity}`,
    multicastId: `mc-${counter}`,
    identity,
    payload: typeof payload === 'string' ? encoder.encode(payload) : payload,
    contentType: 'text/plain; charset=utf-8',
    attempt: 1,
    createdAt: Date.now(),
    ...overrides,
  };
}

/** The payload's text, for assertions. */
export function payloadText(envelope: Envelope): string {
  return new TextDecoder().decode(envelope.payload);
}
