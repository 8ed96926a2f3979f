import { MusterError, type MusterErrorDetails } from '../errors/muster-error.js';

/** INVALID_ARGUMENT naming the argument at fault (`details.field`). */
export function invalidArgument(
  field: string,
  message: string,
  details: MusterErrorDetails = {},
): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field, ...details } });
}
