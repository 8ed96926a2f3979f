import { MusterError } from '../errors/muster-error.js';

/** Longest identity, in characters. */
export const MAX_IDENTITY_LENGTH = 256;

/** The characters an identity may use besides ASCII letters and digits. */
export const IDENTITY_PUNCTUATION = '-_.:@/+=~';

const VALID = /^[A-Za-z0-9\-_.:@/+=~]{1,256}$/;
const ALLOWED = /[A-Za-z0-9\-_.:@/+=~]/;

/**
 * Checks an identity: 1..256 characters, each an ASCII letter, a digit or one of `- _ . : @ / + = ~`.
 * Returns it unchanged; throws INVALID_ARGUMENT naming the problem (empty, too long, or the first
 * character outside the set and its 0-based index). Adapters still encode it
 * (`encodeIdentityToken`) wherever it becomes a subject, topic or key.
 */
export function checkIdentity(identity: unknown): string {
  if (typeof identity === 'string' && VALID.test(identity)) return identity;
  throw identityProblem(identity);
}

function identityProblem(identity: unknown): MusterError {
  if (typeof identity !== 'string')
    return invalid(
      `identity must be a string, not ${identity === null ? 'null' : typeof identity}`,
      {},
    );
  if (identity.length === 0) return invalid('identity must not be empty', {});
  if (identity.length > MAX_IDENTITY_LENGTH)
    return invalid(
      `identity is ${identity.length} characters long; at most ${MAX_IDENTITY_LENGTH} are allowed`,
      { limit: 'maxIdentityLength', max: MAX_IDENTITY_LENGTH, actual: identity.length },
    );
  let index = 0;
  for (const character of identity) {
    if (!ALLOWED.test(character)) {
      const codePoint = character.codePointAt(0) ?? 0;
      const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
      return invalid(
        `identity has ${JSON.stringify(character)} (U+${hex}) at index ${index}; allowed are ASCII letters, digits and ${IDENTITY_PUNCTUATION.split('').join(' ')}`,
        { index, character },
      );
    }
    index += character.length;
  }
  return invalid('identity is not valid', {});
}

function invalid(message: string, details: Record<string, unknown>): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, {
    details: { field: 'identity', ...details },
  });
}
