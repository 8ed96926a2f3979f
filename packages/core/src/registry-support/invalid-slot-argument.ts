import { MusterError } from '../errors/muster-error.js';

/** INVALID_ARGUMENT for a bad argument to a slot method, naming the field. */
export function invalidSlotArgument(message: string, field: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field } });
}
