import { MusterError } from '../errors/muster-error.js';
import type { RetentionPolicy } from '../slots/durability-slot.js';

/** What a backend can store of a retention policy; the defaults fit any number. */
export interface RetentionLimits {
  /** `maxAgeMs` must be whole milliseconds (the backend keeps it as an integer). */
  readonly wholeMilliseconds?: boolean;
}

/**
 * A retention policy with a non-negative `maxAgeMs` and a non-negative integer `maxLength`,
 * returned as given; otherwise INVALID_ARGUMENT naming the field.
 */
export function checkRetention(
  retention: RetentionPolicy,
  limits: RetentionLimits = {},
): RetentionPolicy {
  if (typeof retention !== 'object' || retention === null)
    throw new MusterError('INVALID_ARGUMENT', 'retention must be an object', {
      details: { field: 'retention' },
    });
  const { maxAgeMs, maxLength } = retention;
  if (maxAgeMs !== undefined) {
    const whole = limits.wholeMilliseconds === true;
    if (!((whole ? Number.isSafeInteger(maxAgeMs) : typeof maxAgeMs === 'number') && maxAgeMs >= 0))
      throw new MusterError(
        'INVALID_ARGUMENT',
        `retention.maxAgeMs must be a non-negative ${whole ? 'integer' : 'number'}, not ${maxAgeMs}`,
        { details: { field: 'retention.maxAgeMs' } },
      );
  }
  if (maxLength !== undefined && !(Number.isSafeInteger(maxLength) && maxLength >= 0))
    throw new MusterError(
      'INVALID_ARGUMENT',
      `retention.maxLength must be a non-negative integer, not ${maxLength}`,
      { details: { field: 'retention.maxLength' } },
    );
  return retention;
}
