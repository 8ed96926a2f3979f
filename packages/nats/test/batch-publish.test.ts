// A messaging batch goes out as one write of ready-made PUB frames (nats.js's own publish per
// message is only the fallback): the frames must be exactly what the server and a subscriber
// expect, a too-large envelope fails alone, and the connection's statistics still add up.
import type { Envelope } from '@muster/core';
import { connect } from '@nats-io/transport-node';
import { expect, it } from 'vitest';
import { createNatsMessaging } from '../src/index.js';
import { protocolWriter } from '../src/protocol-writer.js';
import { NATS_URL, natsReachable, uniquePrefix } from './support/nats-url.js';

const reachable = await natsReachable();

function envelope(identity: string, index: number, payload: Uint8Array): Envelope {
  return {
    messageId: `b-${index}`,
    multicastId: 'b',
    identity,
    payload,
    contentType: 'text/plain; charset="utf-8"',
    attempt: 1,
    createdAt: 1_700_000_000_000 + index,
  };
}

it.runIf(reachable)('this nats.js has the protocol hook the batch write needs', async () => {
  const connection = await connect({ servers: NATS_URL });
  try {
    // If a nats.js upgrade removes it, publishing still works (one publish per message), but
    // this test says the fast path is gone.
    expect(protocolWriter(connection)).toBeDefined();
    expect(protocolWriter(connection)!.maxPayload).toBeGreaterThan(0);
  } finally {
    await connection.close();
  }
});

it.runIf(reachable)(
  'a batch reaches every identity intact; an envelope over max_payload fails alone',
  async () => {
    const connection = await connect({ servers: NATS_URL });
    const prefix = uniquePrefix('batch');
    const publisher = await createNatsMessaging({ connection, subjectPrefix: prefix });
    const subscriber = await createNatsMessaging({ servers: NATS_URL, subjectPrefix: prefix });
    try {
      // Identities with spaces, dots, wildcards and non-ASCII become subject tokens; message
      // ids with quotes and backslashes take the JSON-escaping path of the encoder.
      const identities = ['plain', 'with space', 'a.b', '*', '>', 'ünï-cødé', '"quoted"\\'];
      const received = new Map<string, Envelope>();
      for (const identity of identities)
        await subscriber.subscribe('ns', identity, (message) =>
          received.set(message.envelope.identity, message.envelope),
        );
      const maxPayload = connection.info!.max_payload;
      const small = new Uint8Array([0, 1, 2, 255]);
      const envelopes = identities.map((identity, i) => envelope(identity, i, small));
      envelopes[3] = { ...envelope('*', 3, new Uint8Array(maxPayload + 1)), messageId: 'too-big' };
      envelopes[6] = { ...envelopes[6]!, messageId: 'id "with" \\ escapes' };
      const before = connection.stats().outMsgs;
      const results = await publisher.publish('ns', envelopes, {
        mode: 'at-most-once',
        timeoutMs: 1_000,
      });
      expect(results.map((r) => r.status)).toEqual([
        'SENT',
        'SENT',
        'SENT',
        'FAILED',
        'SENT',
        'SENT',
        'SENT',
      ]);
      expect(results[3]!.error?.code).toBe('INVALID_ARGUMENT');
      expect(connection.stats().outMsgs - before).toBe(6);
      const deadline = Date.now() + 2_000;
      while (received.size < 6 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect([...received.keys()].sort()).toEqual(identities.filter((i) => i !== '*').sort());
      for (const sent of envelopes) {
        if (sent.identity === '*') continue;
        const got = received.get(sent.identity)!;
        expect({ ...got, payload: Array.from(got.payload) }).toEqual({
          ...sent,
          payload: Array.from(sent.payload),
        });
      }
    } finally {
      await publisher.close();
      await subscriber.close();
      await connection.close();
    }
  },
);
