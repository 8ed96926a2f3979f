import { MusterError, type RetentionPolicy } from '@muster/core';

/** A retention policy's numbers: a non-negative age, a non-negative integer length. */
export function checkRetention(retention: RetentionPolicy): RetentionPolicy {
  const { maxAgeMs, maxLength } = retention;
  if (maxAgeMs !== undefined && !(typeof maxAgeMs === 'number' && maxAgeMs >= 0))
    throw new MusterError(
      'INVALID_ARGUMENT',
      `retention.maxAgeMs must be a non-negative number, not ${maxAgeMs}`,
      { details: { field: 'retention.maxAgeMs' } },
    );
  if (maxLength !== undefined && !(Number.isSafeInteger(maxLength) && maxLength >= 0))
    throw new MusterError(
      'INVALID_ARGUMENT',
      `retention.maxLength must be a non-negative integer, not ${maxLength}`,
      { details: { field: 'retention.maxLength' } },
    );
  return retention;
}
