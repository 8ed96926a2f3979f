import { MusterError } from '../errors/muster-error.js';

/** What every call on a closed coordinator rejects with. */
export function closedError(): MusterError {
  return new MusterError('UNAVAILABLE', 'the coordinator is closed');
}
