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

const shared = {
  multicastId: '0b7e2c1a-5d1e-4c55-9a55-2f1e7a9d3c11',
  payload: new Uint8Array([7, 8, 9]),
  contentType: 'application/json',
  attempt: 2,
  createdAt: 1_763_900_000_000,
};

it("a coordinator's message id (`<multicastId>-<index>`) travels as its index and comes back whole", () => {
  const encode = envelopeEncoder();
  for (const index of [0, 7, 4_294_967_295]) {
    const sent = { ...shared, messageId: `${shared.multicastId}-${index}`, identity: 'dev-1' };
    const body = encode(sent);
    expect(body.includes(Buffer.from(sent.messageId))).toBe(false);
    expect(decodeEnvelope(body)).toEqual(sent);
  }
  // Ids that only look like it are kept as they are.
  for (const messageId of [
    `${shared.multicastId}-07`,
    `${shared.multicastId}-`,
    `${shared.multicastId}-1x`,
    `${shared.multicastId}x-1`,
    `${shared.multicastId}-4294967296`,
    'other-1',
  ]) {
    const sent = { ...shared, messageId, identity: 'dev-1' };
    expect(decodeEnvelope(encode(sent))).toEqual(sent);
  }
});

it('a subscriber that knows the identity takes it instead of reading it', () => {
  const body = encodeEnvelope({ ...shared, messageId: 'm', identity: 'dev-1' });
  expect(decodeEnvelope(body, 'dev-1')).toEqual(decodeEnvelope(body));
  expect(decodeEnvelope(body, 'known')!.identity).toBe('known');
});

it('bodies written by the previous format (a JSON array) are still read', () => {
  const meta = Buffer.from(JSON.stringify(['m-1', 'dev-é', 'mc', 'text/plain', 3, 42]));
  const head = Buffer.alloc(5);
  head[0] = 1;
  head.writeUInt32BE(meta.length, 1);
  const body = Buffer.concat([head, meta, Buffer.from([1, 2])]);
  expect(decodeEnvelope(body)).toEqual({
    messageId: 'm-1',
    identity: 'dev-é',
    multicastId: 'mc',
    contentType: 'text/plain',
    attempt: 3,
    createdAt: 42,
    payload: new Uint8Array([1, 2]),
  });
});

it('a body cut short anywhere before its payload decodes to undefined', () => {
  for (const messageId of [`${shared.multicastId}-3`, 'custom-id']) {
    const body = encodeEnvelope({
      ...shared,
      payload: new Uint8Array(),
      messageId,
      identity: 'dév',
    });
    for (let length = 0; length < body.length; length++)
      expect(decodeEnvelope(body.subarray(0, length))).toBeUndefined();
    expect(decodeEnvelope(body)).toBeDefined();
  }
});
