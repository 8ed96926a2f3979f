import type { Envelope } from '../../src/slots/envelope.js';

export const T0 = Date.UTC(2026, 0, 1);
const PAYLOAD = new Uint8Array([7]);

/** An envelope for `identity`, created at `createdAt`. */
export function envelope(identity: string, messageId: string, createdAt = T0): Envelope {
  return {
    messageId,
    multicastId: `mc-${messageId}`,
    identity,
    payload: PAYLOAD,
    contentType: 'application/octet-stream',
    attempt: 1,
    createdAt,
  };
}
