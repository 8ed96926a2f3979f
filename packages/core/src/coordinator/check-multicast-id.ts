import { invalidArgument } from './invalid-argument.js';

/** Longest multicast id accepted (the coordinator makes 36-character UUIDs). */
export const MAX_MULTICAST_ID_LENGTH = 256;

/** Printable ASCII without spaces: safe in a backend key, a log line or a URL path. */
const PRINTABLE = /^[\x21-\x7e]+$/;

/** The id itself; INVALID_ARGUMENT (field `multicastId`) when it cannot be a multicast's id. */
export function checkMulticastId(multicastId: unknown): string {
  if (
    typeof multicastId !== 'string' ||
    multicastId.length === 0 ||
    multicastId.length > MAX_MULTICAST_ID_LENGTH ||
    !PRINTABLE.test(multicastId)
  )
    throw invalidArgument(
      'multicastId',
      `a multicast id is 1 to ${MAX_MULTICAST_ID_LENGTH} printable ASCII characters without spaces`,
    );
  return multicastId;
}
