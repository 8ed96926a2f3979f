import { MusterError } from '@muster/core';
import { FilterError } from '@muster/filter';

/**
 * Maps anything a Redis call threw to a MusterError: our own errors pass through, invalid
 * metadata stays INVALID_METADATA, an error raised by our scripts (a bug) is INTERNAL, and
 * everything else (refused connections, timeouts, BUSY, LOADING...) is UNAVAILABLE.
 */
export function redisError(error: unknown, action: string): MusterError {
  if (MusterError.is(error)) return error;
  if (FilterError.is(error))
    return new MusterError(error.code, error.message, {
      cause: error,
      details: { ...error.details },
    });
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('muster filter:') || message.includes('user_script'))
    return new MusterError('INTERNAL', `redis ${action} failed: ${message}`, { cause: error });
  return new MusterError('UNAVAILABLE', `redis ${action} failed: ${message}`, { cause: error });
}
