import { MusterError } from '../errors/muster-error.js';
import type { DurabilitySlot } from '../slots/durability-slot.js';
import type { DeliveryMode } from '../slots/envelope.js';
import type { MessagingSlot } from '../slots/messaging-slot.js';
import { invalidArgument } from './invalid-argument.js';
import type { MulticastRequest } from './muster-api.js';
import type { NamespaceConfig } from './namespace-config.js';

/** A multicast request, checked and with its defaults applied (the filter is resolved apart). */
export interface CheckedMulticast {
  readonly payload: Uint8Array;
  readonly contentType: string;
  readonly delivery: DeliveryMode;
  readonly timeoutMs: number;
  readonly idempotencyKey: string | undefined;
  readonly signal: AbortSignal | undefined;
}

/** Longest timeout setTimeout can wait for (a longer one would fire at once). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const MAX_CONTENT_TYPE = 256;
const MAX_IDEMPOTENCY_KEY = 256;
const encoder = new TextEncoder();

/**
 * Checks a multicast request: payload bytes (a string is sent as UTF-8; bytes are copied once, so
 * the caller may reuse its buffer), content type, delivery mode (UNSUPPORTED when the slots
 * cannot give it: acked needs `messaging.supports.acked`, at-least-once a durability slot),
 * timeout, idempotency key, signal.
 */
export function checkMulticastRequest(
  request: MulticastRequest,
  config: NamespaceConfig,
  messaging: MessagingSlot,
  durability: DurabilitySlot | null,
): CheckedMulticast {
  if (typeof request !== 'object' || request === null)
    throw invalidArgument('request', 'a multicast request is an object');
  const raw = request.payload;
  let payload: Uint8Array;
  let contentType = 'application/octet-stream';
  if (typeof raw === 'string') {
    payload = encoder.encode(raw);
    contentType = 'text/plain; charset=utf-8';
  } else if (raw instanceof Uint8Array) payload = new Uint8Array(raw);
  else throw invalidArgument('payload', 'payload must be a Uint8Array or a string');
  if (request.contentType !== undefined) {
    const given = request.contentType;
    if (typeof given !== 'string' || given.length === 0 || given.length > MAX_CONTENT_TYPE)
      throw invalidArgument(
        'contentType',
        `contentType must be a string of 1..${MAX_CONTENT_TYPE} characters`,
      );
    contentType = given;
  }
  const delivery = request.delivery ?? 'at-most-once';
  checkDelivery(delivery, messaging, durability);
  const timeoutMs = request.timeoutMs ?? config.multicastTimeoutMs;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > MAX_TIMEOUT_MS)
    throw invalidArgument(
      'timeoutMs',
      `timeoutMs must be a number of milliseconds in (0, ${MAX_TIMEOUT_MS}]`,
    );
  const key = request.idempotencyKey;
  if (
    key !== undefined &&
    (typeof key !== 'string' || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY)
  )
    throw invalidArgument(
      'idempotencyKey',
      `idempotencyKey must be a string of 1..${MAX_IDEMPOTENCY_KEY} characters`,
    );
  const signal = request.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw invalidArgument('signal', 'signal must be an AbortSignal');
  return { payload, contentType, delivery, timeoutMs, idempotencyKey: key, signal };
}

function checkDelivery(
  delivery: unknown,
  messaging: MessagingSlot,
  durability: DurabilitySlot | null,
): asserts delivery is DeliveryMode {
  if (delivery === 'at-most-once') {
    if (!messaging.supports.atMostOnce)
      throw unsupported(delivery, 'messaging.supports.atMostOnce');
  } else if (delivery === 'acked') {
    if (!messaging.supports.acked) throw unsupported(delivery, 'messaging.supports.acked');
  } else if (delivery === 'at-least-once') {
    if (durability === null) throw unsupported(delivery, 'a durability slot');
  } else
    throw invalidArgument(
      'delivery',
      `delivery must be 'at-most-once', 'acked' or 'at-least-once', not ${JSON.stringify(delivery)}`,
    );
}

function unsupported(delivery: string, needs: string): MusterError {
  return new MusterError(
    'UNSUPPORTED',
    `${delivery} delivery needs ${needs}, which this coordinator's slots do not provide`,
    { details: { field: 'delivery', capability: needs } },
  );
}
