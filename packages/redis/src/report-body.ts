import {
  type DeliveryStatus,
  type IdentityDelivery,
  type MulticastReport,
  MusterError,
} from '@muster/core';
import { Packr } from 'msgpackr';

/** Format version, first item of every body (a later format can coexist). */
const VERSION = 1;
/** Plain MessagePack arrays: no records extension, nothing a reader must share with a writer. */
const PACKER = new Packr({ useRecords: false });
/** A status is stored as its index here, one byte per target: never reorder, only append. */
const STATUSES: readonly DeliveryStatus[] = [
  'SENT',
  'DELIVERED',
  'QUEUED',
  'NO_SUBSCRIBER',
  'FAILED',
  'TIMEOUT',
];
const STATUS_CODES = new Map(STATUSES.map((status, index) => [status, index]));
/**
 * Set in a status byte when the delivery carries `messageId` `<multicastId>-<target index>`:
 * the coordinator's reports reuse the messaging slot's publish results, which name the message
 * so, and a report must load as it was saved. Any other messageId is stored as is.
 */
const DERIVED_MESSAGE_ID = 0x80;

/** A delivery as the coordinator may hand it over: a publish result has a messageId too. */
type StoredDelivery = IdentityDelivery & { readonly messageId?: string };

/**
 * One report as one binary value, column-wise so a 100,000-target report stays small: a
 * MessagePack array of version, multicastId, targetCount, deliveredCount, the identities, the
 * statuses as one byte each, the few errors as flat (target index, code, message) triples, and
 * the messageIds that do not follow the usual pattern as (target index, messageId) pairs.
 */
export function encodeReport(report: MulticastReport): Buffer {
  const { deliveries } = report;
  const identities = new Array<string>(deliveries.length);
  const statuses = Buffer.allocUnsafe(deliveries.length);
  const errors: (number | string)[] = [];
  const messageIds: (number | string)[] = [];
  const idPrefix = `${report.multicastId}-`;
  for (let i = 0; i < deliveries.length; i++) {
    const delivery = deliveries[i] as StoredDelivery;
    identities[i] = delivery.identity;
    let code = STATUS_CODES.get(delivery.status);
    if (code === undefined)
      throw new MusterError(
        'INVALID_ARGUMENT',
        `report ${report.multicastId}: unknown delivery status ${String(delivery.status)}`,
        { details: { field: 'deliveries', index: i } },
      );
    const messageId = delivery.messageId;
    if (messageId !== undefined) {
      if (messageId === idPrefix + i) code |= DERIVED_MESSAGE_ID;
      else messageIds.push(i, messageId);
    }
    statuses[i] = code;
    if (delivery.error !== undefined) errors.push(i, delivery.error.code, delivery.error.message);
  }
  return PACKER.pack([
    VERSION,
    report.multicastId,
    report.targetCount,
    report.deliveredCount,
    identities,
    statuses,
    errors,
    messageIds,
  ]);
}

/**
 * The report in a body, with every target in `delivered` DELIVERED (without its error or
 * messageId, as the in-memory slot shows a marked target) and
 * deliveredCount recounted when any mark applies; identities that are not targets are ignored.
 * Undefined when the bytes are not a body of this version.
 */
export function decodeReport(
  body: Buffer,
  delivered: ReadonlySet<string>,
): MulticastReport | undefined {
  let decoded: unknown;
  try {
    decoded = PACKER.unpack(body);
  } catch {
    return undefined; // not MessagePack: something else wrote this field
  }
  if (!Array.isArray(decoded) || decoded[0] !== VERSION) return undefined;
  const [, multicastId, targetCount, savedCount, identities, statuses, errors, messageIds] =
    decoded as [
      number,
      string,
      number,
      number,
      string[],
      Uint8Array,
      (number | string)[],
      (number | string)[],
    ];
  const errorAt = new Map<number, IdentityDelivery['error']>();
  for (let i = 0; i < errors.length; i += 3)
    errorAt.set(errors[i] as number, {
      code: errors[i + 1] as string,
      message: errors[i + 2] as string,
    });
  const messageIdAt = new Map<number, string>();
  for (let i = 0; i < messageIds.length; i += 2)
    messageIdAt.set(messageIds[i] as number, messageIds[i + 1] as string);
  const idPrefix = `${multicastId}-`;
  let deliveredCount = 0;
  let marked = false;
  const deliveries = new Array<StoredDelivery>(identities.length);
  for (let i = 0; i < identities.length; i++) {
    const identity = identities[i]!;
    const byte = statuses[i]!;
    const status = STATUSES[byte & ~DERIVED_MESSAGE_ID]!;
    if (status === 'DELIVERED') deliveredCount++;
    else if (delivered.has(identity)) {
      deliveredCount++;
      marked = true;
      deliveries[i] = { identity, status: 'DELIVERED' };
      continue;
    }
    const messageId = byte & DERIVED_MESSAGE_ID ? idPrefix + i : messageIdAt.get(i);
    const error = errorAt.get(i);
    // Plain literals, not spreads: this runs once per target of reports up to 100,000 long.
    if (messageId === undefined)
      deliveries[i] = error === undefined ? { identity, status } : { identity, status, error };
    else
      deliveries[i] =
        error === undefined
          ? { identity, messageId, status }
          : { identity, messageId, status, error };
  }
  return {
    multicastId,
    targetCount,
    // As saved unless a mark changed a target (then recounted, as the contract says).
    deliveredCount: marked ? deliveredCount : savedCount,
    deliveries,
  };
}
