import { MusterError } from '@muster/core';

/**
 * Driver errors become UNAVAILABLE with the driver's error as the cause: server selection
 * timeouts, dropped connections and server-side failures all mean "the backend could not do it
 * now", and the coordinator retries batches that fail with UNAVAILABLE. MusterErrors pass through.
 */
export function toMusterError(error: unknown, doing: string): MusterError {
  if (MusterError.is(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new MusterError('UNAVAILABLE', `mongodb registry could not ${doing}: ${reason}`, {
    cause: error,
  });
}

/** E11000: a unique index (here the document key) refused an insert. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
