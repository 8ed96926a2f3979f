import { MusterError } from '../errors/muster-error.js';

/** Characters an encoded token keeps as they are; everything else becomes `_XX`. */
export const TOKEN_KEPT = /^[A-Za-z0-9-]*$/;

const HEX = '0123456789ABCDEF';

/**
 * Encodes a string (an identity, a namespace) into `[A-Za-z0-9_-]`, injectively: ASCII letters,
 * digits and `-` stay, every other character becomes its UTF-8 bytes as `_XX` (uppercase hex).
 * Safe as a NATS subject token, a Kafka key or part of a Redis key. `device-42` stays
 * `device-42`; `a.b` becomes `a_2Eb`. Throws INVALID_ARGUMENT for a lone surrogate (it has no
 * UTF-8 form; no valid identity contains one).
 */
export function encodeIdentityToken(identity: string): string {
  if (TOKEN_KEPT.test(identity)) return identity;
  let token = '';
  for (let i = 0; i < identity.length; i++) {
    const unit = identity.charCodeAt(i);
    if (unit < 0x80) {
      token += isKept(unit) ? identity[i] : escapeByte(unit);
    } else if (unit < 0x800) {
      token += escapeByte(0xc0 | (unit >> 6)) + escapeByte(0x80 | (unit & 0x3f));
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      const low = identity.charCodeAt(i + 1);
      if (unit > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff))
        throw new MusterError(
          'INVALID_ARGUMENT',
          `cannot encode ${JSON.stringify(identity)}: lone surrogate at index ${i}`,
          { details: { field: 'identity', index: i } },
        );
      const codePoint = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
      token +=
        escapeByte(0xf0 | (codePoint >> 18)) +
        escapeByte(0x80 | ((codePoint >> 12) & 0x3f)) +
        escapeByte(0x80 | ((codePoint >> 6) & 0x3f)) +
        escapeByte(0x80 | (codePoint & 0x3f));
      i++;
    } else {
      token +=
        escapeByte(0xe0 | (unit >> 12)) +
        escapeByte(0x80 | ((unit >> 6) & 0x3f)) +
        escapeByte(0x80 | (unit & 0x3f));
    }
  }
  return token;
}

/** True for the ASCII code units a token keeps: letters, digits and `-`. */
export function isKept(unit: number): boolean {
  return (
    (unit >= 0x61 && unit <= 0x7a) ||
    (unit >= 0x41 && unit <= 0x5a) ||
    (unit >= 0x30 && unit <= 0x39) ||
    unit === 0x2d
  );
}

function escapeByte(byte: number): string {
  return `_${HEX[byte >> 4]}${HEX[byte & 0xf]}`;
}
