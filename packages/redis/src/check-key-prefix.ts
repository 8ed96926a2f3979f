import { MusterError } from '@muster/core';

/** A key prefix goes inside a hash tag: non-empty, and no braces (they would end the tag). */
export function checkKeyPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || prefix.length === 0 || /[{}]/.test(prefix))
    throw new MusterError('INVALID_ARGUMENT', 'keyPrefix must be non-empty, without braces', {
      details: { field: 'keyPrefix' },
    });
  return prefix;
}
