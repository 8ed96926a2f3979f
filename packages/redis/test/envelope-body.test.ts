import { makeEnvelope } from '@muster/conformance';
import { describe, expect, it } from 'vitest';
import { decodeBody, encodeBody } from '../src/envelope-body.js';

describe('envelope body', () => {
  it('round-trips every field, a binary payload and the reply address', () => {
    const payload = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
    const envelope = makeEnvelope('dévice/1 ✓', payload, {
      contentType: 'application/octet-stream',
      attempt: 4,
      createdAt: 1_767_225_600_123,
    });
    const decoded = decodeBody(encodeBody(envelope, '3.17@{muster}:reply:x'));
    expect(decoded?.reply).toBe('3.17@{muster}:reply:x');
    const { payload: got, ...rest } = decoded!.envelope;
    const { payload: sent, ...sentRest } = envelope;
    expect(rest).toEqual(sentRest);
    expect(Array.from(got)).toEqual(Array.from(sent));
    expect(decodeBody(encodeBody(envelope))?.reply).toBe('');
  });

  it('an empty payload stays empty; the payload is a copy, not a view of the body', () => {
    const body = encodeBody(makeEnvelope('a', new Uint8Array(0)));
    const decoded = decodeBody(body)!;
    expect(decoded.envelope.payload).toHaveLength(0);
    const other = encodeBody(makeEnvelope('a', 'xyz'));
    const payload = decodeBody(other)!.envelope.payload;
    other.fill(0);
    expect(new TextDecoder().decode(payload)).toBe('xyz');
  });

  it('foreign or truncated bytes are not an envelope', () => {
    const body = encodeBody(makeEnvelope('a', 'hello'));
    expect(decodeBody(Buffer.from('hello'))).toBeUndefined();
    expect(decodeBody(Buffer.alloc(0))).toBeUndefined();
    const wrongVersion = Buffer.from(body);
    wrongVersion[0] = 9;
    expect(decodeBody(wrongVersion)).toBeUndefined();
    // Cut inside the strings: the lengths promise more than there is.
    expect(decodeBody(body.subarray(0, 40))).toBeUndefined();
  });
});
