import type { Envelope } from '../slots/envelope.js';
import type { PublishResult } from '../slots/messaging-slot.js';

/** One envelope's outcome in a messaging slot's `publish` answer; `error` only when given. */
export function publishResult(
  envelope: Envelope,
  status: PublishResult['status'],
  error?: { readonly code: string; readonly message: string },
): PublishResult {
  return error === undefined
    ? { identity: envelope.identity, messageId: envelope.messageId, status }
    : { identity: envelope.identity, messageId: envelope.messageId, status, error };
}
