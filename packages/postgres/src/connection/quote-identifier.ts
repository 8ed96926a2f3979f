import { MusterError } from '@muster/core';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Validates a configured SQL name (the schema) and quotes it. It is configuration, not user
 * data, so anything beyond a plain lower-case identifier is refused rather than escaped.
 */
export function quoteIdentifier(name: string, what: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name))
    throw new MusterError(
      'INVALID_ARGUMENT',
      `${what} must match ${IDENTIFIER} (a plain lower-case SQL identifier), not ${JSON.stringify(name)}`,
      { details: { field: what } },
    );
  return `"${name}"`;
}
