import {
  type DeliveryStatus,
  type IdentityDelivery,
  type MulticastReport,
  MusterError,
} from '@muster/core';

/**
 * A report record's value: one JSON array of columns, no object per target.
 * [targetCount, identities, one status letter per target, errors as [index, code, message],
 * message ids]. Message ids: 0 when no target has one, else the targets whose id is not the
 * coordinator's `<multicastId>-<index>`, as [index, id or null] (usually an empty array).
 * The multicast id is the record key; the expiry is the `x` header.
 */
type ReportColumns = [
  targetCount: number,
  identities: string[],
  statuses: string,
  errors: [number, string, string][],
  messageIds: 0 | [number, string | null][],
];

const LETTER: Readonly<Record<DeliveryStatus, string>> = {
  SENT: 'S',
  DELIVERED: 'D',
  QUEUED: 'Q',
  NO_SUBSCRIBER: 'N',
  FAILED: 'F',
  TIMEOUT: 'T',
};
const STATUS: Readonly<Record<string, DeliveryStatus>> = Object.fromEntries(
  Object.entries(LETTER).map(([status, letter]) => [letter, status as DeliveryStatus]),
);

/** The report as one JSON text in columns. */
export function encodeReportValue(report: MulticastReport): string {
  const { multicastId, deliveries } = report;
  const count = deliveries.length;
  const identities = new Array<string>(count);
  let statuses = '';
  const errors: [number, string, string][] = [];
  const otherIds: [number, string | null][] = [];
  let withId = 0;
  for (let i = 0; i < count; i++) {
    const delivery = deliveries[i]!;
    identities[i] = delivery.identity;
    const letter = LETTER[delivery.status];
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
    if (messageId !== `${multicastId}-${i}`) otherIds.push([i, messageId ?? null]);
  }
  const columns: ReportColumns = [
    report.targetCount,
    identities,
    statuses,
    errors,
    withId === 0 ? 0 : otherIds,
  ];
  return JSON.stringify(columns);
}

/**
 * The stored report with every target in `marked` DELIVERED (without error) and
 * deliveredCount recounted; identities in `marked` that are not targets change nothing.
 */
export function decodeReportValue(
  multicastId: string,
  value: string,
  marked: ReadonlySet<string> | undefined,
): MulticastReport {
  let columns: ReportColumns;
  try {
    columns = JSON.parse(value) as ReportColumns;
  } catch (error) {
    throw new MusterError('INTERNAL', `stored report ${multicastId} is not valid JSON`, {
      cause: error,
    });
  }
  const [targetCount, identities, letters, errorList, idList] = columns;
  const errors =
    errorList.length === 0
      ? undefined
      : new Map(errorList.map(([index, code, message]) => [index, { code, message }]));
  const otherIds = idList === 0 ? undefined : new Map(idList);
  const count = identities.length;
  const deliveries = new Array<IdentityDelivery>(count);
  let deliveredCount = 0;
  for (let i = 0; i < count; i++) {
    const identity = identities[i]!;
    let status = STATUS[letters[i]!]!;
    let error = errors?.get(i);
    if (status !== 'DELIVERED' && marked?.has(identity) === true) {
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
  return { multicastId, targetCount, deliveredCount, deliveries };
}
