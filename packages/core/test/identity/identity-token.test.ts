import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import { decodeIdentityToken } from '../../src/identity/decode-identity-token.js';
import { encodeIdentityToken } from '../../src/identity/encode-identity-token.js';

const TOKEN = /^[A-Za-z0-9_-]*$/;
const SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:@/+=~';

/** Well-formed strings: safe identity characters, ASCII, BMP and astral characters. */
const text = fc.oneof(
  fc.array(fc.constantFrom(...SAFE), { maxLength: 40 }).map((a) => a.join('')),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => s.isWellFormed()),
);

describe('encodeIdentityToken', () => {
  it('keeps letters, digits and "-" and escapes everything else as _XX UTF-8 bytes', () => {
    expect(encodeIdentityToken('device-42')).toBe('device-42');
    expect(encodeIdentityToken('a.b')).toBe('a_2Eb');
    expect(encodeIdentityToken('_')).toBe('_5F');
    expect(encodeIdentityToken('user:alice@x.io/s+1=a~b')).toBe(
      'user_3Aalice_40x_2Eio_2Fs_2B1_3Da_7Eb',
    );
    expect(encodeIdentityToken('é')).toBe('_C3_A9');
    expect(encodeIdentityToken('€')).toBe('_E2_82_AC');
    expect(encodeIdentityToken('😀')).toBe('_F0_9F_98_80');
    expect(encodeIdentityToken('')).toBe('');
  });

  it('refuses a lone surrogate (no UTF-8 form, so no injective byte encoding)', () => {
    for (const bad of ['\ud800', 'a\udc00', '\ud83d']) {
      expect(() => encodeIdentityToken(bad)).toThrow(MusterError);
    }
  });

  it('produces only [A-Za-z0-9_-] and round-trips', () => {
    fc.assert(
      fc.property(text, (s) => {
        const token = encodeIdentityToken(s);
        expect(token).toMatch(TOKEN);
        expect(decodeIdentityToken(token)).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });

  it('is injective', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        fc.pre(a !== b);
        expect(encodeIdentityToken(a)).not.toBe(encodeIdentityToken(b));
      }),
      { numRuns: 3000 },
    );
    // Pairs that a careless escape scheme would confuse.
    const tricky = [
      '_2E',
      '.',
      'a_2Eb',
      'a.b',
      '_',
      '__',
      '_5F',
      '-',
      '\uFEFFa',
      'a',
      'é',
      'e\u0301',
    ];
    const tokens = new Set(tricky.map(encodeIdentityToken));
    expect(tokens.size).toBe(tricky.length);
  });
});

describe('decodeIdentityToken', () => {
  it('refuses tokens the encoder never produces', () => {
    for (const bad of [
      '_2e', // lowercase hex
      '_41', // an escaped letter
      '_2D', // an escaped "-"
      '_', // truncated escape
      '_2',
      '_G0',
      'a.b', // raw character outside the alphabet
      'a b',
      '_C3', // truncated UTF-8
      '_C0_AE', // overlong UTF-8
      '_ED_A0_80', // an encoded surrogate
      '_FF',
    ]) {
      let error: unknown;
      try {
        decodeIdentityToken(bad);
      } catch (caught) {
        error = caught;
      }
      expect(MusterError.is(error, 'INVALID_ARGUMENT'), bad).toBe(true);
    }
  });

  it('accepts exactly the canonical tokens', () => {
    const tokenish = fc
      .array(fc.constantFrom('a', 'Z', '0', '-', '_', '2', 'E', 'C', '3', 'A', '9', 'F', 'e'), {
        maxLength: 16,
      })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(tokenish, (token) => {
        let decoded: string | undefined;
        try {
          decoded = decodeIdentityToken(token);
        } catch (error) {
          expect(MusterError.is(error, 'INVALID_ARGUMENT')).toBe(true);
          return;
        }
        expect(encodeIdentityToken(decoded)).toBe(token);
      }),
      { numRuns: 3000 },
    );
  });
});
