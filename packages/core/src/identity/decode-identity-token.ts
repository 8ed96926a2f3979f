import { MusterError } from '../errors/muster-error.js';
import { isKept, TOKEN_KEPT } from './encode-identity-token.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The inverse of `encodeIdentityToken`. Accepts only canonical tokens (what the encoder
 * produces: uppercase hex, no escaped letter, digit or `-`, valid UTF-8), so
 * `encodeIdentityToken(decodeIdentityToken(t)) === t` for every accepted `t`; anything else is
 * INVALID_ARGUMENT.
 */
export function decodeIdentityToken(token: string): string {
  if (TOKEN_KEPT.test(token)) return token;
  const bytes = new Uint8Array(token.length);
  let length = 0;
  for (let i = 0; i < token.length; i++) {
    const unit = token.charCodeAt(i);
    if (isKept(unit)) {
      bytes[length++] = unit;
      continue;
    }
    if (unit !== 0x5f)
      throw invalidToken(token, `unexpected ${JSON.stringify(token[i])} at index ${i}`);
    const byte = (hexDigit(token.charCodeAt(i + 1)) << 4) | hexDigit(token.charCodeAt(i + 2));
    if (byte < 0)
      throw invalidToken(token, `"_" at index ${i} is not followed by two uppercase hex digits`);
    if (byte < 0x80 && isKept(byte))
      throw invalidToken(
        token,
        `${JSON.stringify(token.slice(i, i + 3))} at index ${i} escapes a character that is never escaped`,
      );
    bytes[length++] = byte;
    i += 2;
  }
  try {
    return decoder.decode(bytes.subarray(0, length));
  } catch (cause) {
    throw invalidToken(token, 'the escaped bytes are not valid UTF-8', cause);
  }
}

/** 0..15 for `0-9A-F`, or a negative number (so that `hi << 4 | lo` stays negative). */
function hexDigit(unit: number): number {
  if (unit >= 0x30 && unit <= 0x39) return unit - 0x30;
  if (unit >= 0x41 && unit <= 0x46) return unit - 0x37;
  return -0x1000;
}

function invalidToken(token: string, problem: string, cause?: unknown): MusterError {
  return new MusterError(
    'INVALID_ARGUMENT',
    `invalid identity token ${JSON.stringify(token)}: ${problem}`,
    {
      details: { field: 'token' },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}
