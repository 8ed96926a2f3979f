import type { Envelope } from '@muster/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, envelopeEncoder } from '../src/envelope-codec.js';

const envelope = fc.record({
  messageId: fc.string({ unit: 'grapheme' }),
  multicastId: fc.string({ unit: 'grapheme' }),
  identity: fc.string({ unit: 'grapheme' }),
  payload: fc.uint8Array({ maxLength: 300 }),
  contentType: fc.string(),
  attempt: fc.integer({ min: 1, max: 1_000 }),
  createdAt: fc.integer({ min: 0, max: 2 ** 45 }),
});

it('decode(encode(envelope)) is the envelope, byte for byte (fuzzed)', () => {
  fc.assert(
    fc.property(envelope, (sent: Envelope) => {
      const { payload, ...rest } = decodeEnvelope(encodeEnvelope(sent))!;
      const { payload: sentPayload, ...sentRest } = sent;
      expect(rest).toEqual(sentRest);
      expect(Array.from(payload)).toEqual(Array.from(sentPayload));
    }),
    { numRuns: 1_000 },
  );
});

it('a batch encoder shares the tail only between envelopes that share it', () => {
  const encode = envelopeEncoder();
  const payload = new Uint8Array([1, 2, 3]);
  const base = { multicastId: 'm', payload, contentType: 't', attempt: 1, createdAt: 5 };
  const a = decodeEnvelope(encode({ ...base, messageId: 'a', identity: 'x.y' }))!;
  const b = decodeEnvelope(encode({ ...base, messageId: 'b', identity: 'z', attempt: 2 }))!;
  const c = decodeEnvelope(encode({ ...base, messageId: 'c', identity: 'w' }))!;
  expect([a.identity, a.attempt, b.identity, b.attempt, c.messageId, c.attempt]).toEqual([
    'x.y',
    1,
    'z',
    2,
    'c',
    1,
  ]);
});

it('a body that is not an envelope decodes to undefined', () => {
  for (const body of [
    new Uint8Array(),
    new Uint8Array([2, 0, 0, 0, 1, 91]),
    new TextEncoder().encode('hello world'),
  ])
    expect(decodeEnvelope(body)).toBeUndefined();
  const broken = encodeEnvelope({
    messageId: 'm',
    multicastId: 'c',
    identity: 'i',
    payload: new Uint8Array(),
    contentType: 't',
    attempt: 1,
    createdAt: 1,
  });
  broken.writeUInt32BE(10_000, 1);
  expect(decodeEnvelope(broken)).toBeUndefined();
});
