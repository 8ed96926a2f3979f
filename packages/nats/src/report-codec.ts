import {
  type DeliveryStatus,
  type IdentityDelivery,
  type MulticastReport,
  MusterError,
} from '@muster/core';

/**
 * A stored report in columns: one JSON value, no object per target. `s` holds one letter per
 * target; message ids of the coordinator's form `<multicastId>-<index>` are not stored.
 */
interface StoredReport {
  readonly id: string;
  /** targetCount */
  readonly n: number;
  /** expiresAt (epoch ms, the caller's clock) */
  readonly x: number;
  /** identities, by target index */
  readonly i: readonly string[];
  /** statuses, one letter per target */
  readonly s: string;
  /** errors: [index, code, message] */
  readonly e?: readonly (readonly [number, string, string])[];
  /** message ids: absent, no target has one; else [index, id or null] for the targets whose id is not `<multicastId>-<index>` */
  readonly m?: readonly (readonly [number, string | null])[];
}

const LETTERS: Readonly<Record<DeliveryStatus, string>> = {
  SENT: 'S',
  DELIVERED: 'D',
  QUEUED: 'Q',
  NO_SUBSCRIBER: 'N',
  FAILED: 'F',
  TIMEOUT: 'T',
};
const STATUSES: Readonly<Record<string, DeliveryStatus>> = Object.fromEntries(
  Object.entries(LETTERS).map(([status, letter]) => [letter, status as DeliveryStatus]),
);
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/** The report and its expiry as UTF-8 JSON in columns. */
export function encodeReport(report: MulticastReport, expiresAt: number): Uint8Array {
  const { multicastId, deliveries } = report;
  const count = deliveries.length;
  const identities = new Array<string>(count);
  let statuses = '';
  const errors: [number, string, string][] = [];
  const messageIds: [number, string | null][] = [];
  let withId = 0;
  for (let i = 0; i < count; i++) {
    const delivery = deliveries[i]!;
    identities[i] = delivery.identity;
    const letter = LETTERS[delivery.status];
    if (letter === undefined)
      throw new MusterError(
        'INVALID_ARGUMENT',
        `report ${multicastId}: unknown delivery status ${JSON.stringify(delivery.status)}`,
        { details: { field: `deliveries[${i}].status` } },
      );
    statuses += letter;
    if (delivery.error !== undefined) errors.push([i, delivery.error.code, delivery.error.message]);
    const messageId = delivery.messageId;
    if (messageId !== undefined) withId++;
    if (messageId !== `${multicastId}-${i}`) messageIds.push([i, messageId ?? null]);
  }
  const stored: StoredReport = {
    id: multicastId,
    n: report.targetCount,
    x: expiresAt,
    i: identities,
    s: statuses,
    ...(errors.length === 0 ? {} : { e: errors }),
    ...(withId === 0 ? {} : { m: messageIds }),
  };
  return ENCODER.encode(JSON.stringify(stored));
}

/**
 * The stored report with every target in `marked` DELIVERED (without error) and deliveredCount
 * recounted, or undefined when it has expired (`now >= expiresAt`).
 */
export function decodeReport(
  bytes: Uint8Array,
  marked: ReadonlySet<string>,
  now: number,
): MulticastReport | undefined {
  let stored: StoredReport;
  try {
    stored = JSON.parse(DECODER.decode(bytes)) as StoredReport;
  } catch (error) {
    throw new MusterError('INTERNAL', 'a stored multicast report is not valid JSON', {
      cause: error,
    });
  }
  if (now >= stored.x) return undefined;
  const { id: multicastId, i: identities, s: letters } = stored;
  const errors = new Map(stored.e?.map(([index, code, message]) => [index, { code, message }]));
  const otherIds = stored.m === undefined ? undefined : new Map(stored.m);
  const count = identities.length;
  const deliveries = new Array<IdentityDelivery>(count);
  let deliveredCount = 0;
  for (let i = 0; i < count; i++) {
    const identity = identities[i]!;
    let status = STATUSES[letters[i]!]!;
    let error = errors.get(i);
    if (status !== 'DELIVERED' && marked.has(identity)) {
      status = 'DELIVERED';
      error = undefined;
    }
    if (status === 'DELIVERED') deliveredCount++;
    const delivery: {
      identity: string;
      status: DeliveryStatus;
      error?: { readonly code: string; readonly message: string };
      messageId?: string;
    } = { identity, status };
    if (error !== undefined) delivery.error = error;
    if (otherIds !== undefined) {
      const messageId = otherIds.has(i) ? otherIds.get(i) : `${multicastId}-${i}`;
      if (messageId != null) delivery.messageId = messageId;
    }
    deliveries[i] = delivery;
  }
  return { multicastId, targetCount: stored.n, deliveredCount, deliveries };
}
