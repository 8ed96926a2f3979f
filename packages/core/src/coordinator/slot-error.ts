import { MusterError } from '../errors/muster-error.js';

/**
 * What a slot threw, as the coordinator reports it: a MusterError passes through (the slot chose
 * its code); anything else means the backend misbehaved or went away, so UNAVAILABLE with the
 * original as cause (callers retry UNAVAILABLE).
 */
export function slotError(error: unknown): MusterError {
  if (MusterError.is(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new MusterError('UNAVAILABLE', `a backend slot failed: ${reason}`, { cause: error });
}
