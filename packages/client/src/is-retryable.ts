import { MusterError, type MusterErrorCode } from './muster-error.js';

/** Errors that a retry cannot fix: the request, the key or the namespace is wrong. */
const PERMANENT: ReadonlySet<MusterErrorCode> = new Set<MusterErrorCode>([
  'INVALID_ARGUMENT',
  'INVALID_FILTER',
  'INVALID_METADATA',
  'ALREADY_EXISTS',
  'NOT_FOUND',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
  'UNSUPPORTED',
]);

/** True when a stream that failed with `error` is worth opening again (network, restarts, load). */
export function isRetryable(error: unknown): boolean {
  return !MusterError.is(error) || !PERMANENT.has(error.code);
}
