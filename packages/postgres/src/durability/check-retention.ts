import { MusterError, type RetentionPolicy } from '@muster/core';

/** A retention policy with non-negative limits, else INVALID_ARGUMENT naming the field. */
export function checkRetention(retention: RetentionPolicy): RetentionPolicy {
  if (typeof retention !== 'object' || retention === null)
    throw new MusterError('INVALID_ARGUMENT', 'retention must be an object', {
      details: { field: 'retention' },
    });
  const { maxAgeMs, maxLength } = retention;
  if (maxAgeMs !== undefined && !(Number.isSafeInteger(maxAgeMs) && maxAgeMs >= 0))
    throw new MusterError(
      'INVALID_ARGUMENT',
      `retention.maxAgeMs must be a non-negative integer, not ${maxAgeMs}`,
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
