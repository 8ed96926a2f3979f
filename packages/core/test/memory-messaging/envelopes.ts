import type { Envelope } from '../../src/slots/envelope.js';

const PAYLOAD = new Uint8Array([1, 2, 3]);

/** One envelope per identity (in order), for the multicast `multicastId`. */
export function envelopesFor(identities: readonly string[], multicastId = 'm1'): Envelope[] {
  return identities.map((identity) => ({
    messageId: `${multicastId}:${identity}`,
    multicastId,
    identity,
    payload: PAYLOAD,
    contentType: 'application/octet-stream',
    attempt: 1,
    createdAt: Date.UTC(2026, 0, 1),
  }));
}
