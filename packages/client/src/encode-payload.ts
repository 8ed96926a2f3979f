import type { MulticastRequest } from './client-api.js';
import { MusterError } from './muster-error.js';

const encoder = new TextEncoder();

/** A multicast's body and content type: bytes as given, a string as UTF-8, `json` as JSON. */
export function encodePayload(request: MulticastRequest): {
  readonly payload: Uint8Array;
  readonly contentType: string;
} {
  const { payload, json, contentType } = request;
  if (json !== undefined) {
    if (payload !== undefined)
      throw new MusterError('INVALID_ARGUMENT', 'give either payload or json, not both', {
        details: { field: 'payload' },
      });
    return {
      payload: encoder.encode(JSON.stringify(json)),
      contentType: contentType ?? 'application/json',
    };
  }
  if (typeof payload === 'string')
    return {
      payload: encoder.encode(payload),
      contentType: contentType ?? 'text/plain; charset=utf-8',
    };
  return {
    payload: payload ?? new Uint8Array(),
    contentType: contentType ?? 'application/octet-stream',
  };
}
