import { MusterError } from '../errors/muster-error.js';
import type { DeliveryStatus } from '../slots/envelope.js';
import type { IdentityDelivery, MulticastReport } from '../slots/multicast-report.js';

/**
 * A multicast report in columns, for durability slots that store reports: plain arrays and one
 * string, no object per target, ready for JSON or MessagePack. Statuses are one letter per
 * target; message ids of the coordinator's form `<multicastId>-<index>` are not stored.
 */
export interface ReportColumns {
  readonly targetCount: number;
  /** Identities, by target index. */
  readonly identities: readonly string[];
  /** One letter per target (see `statusLetter`). */
  readonly statuses: string;
  /** `[index, code, message]` of the targets that have an error. */
  readonly errors: readonly (readonly [number, string, string])[];
  /**
   * 0 when no target has a message id; else `[index, id or null]` of the targets whose id is not
   * `<multicastId>-<index>` (usually none).
   */
  readonly messageIds: 0 | readonly (readonly [number, string | null])[];
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

/** The report in columns; INVALID_ARGUMENT for an unknown delivery status. */
export function toReportColumns(report: MulticastReport): ReportColumns {
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
    if (messageId === undefined) continue;
    withId++;
    if (messageId !== `${multicastId}-${i}`) otherIds.push([i, messageId]);
  }
  // Some targets with ids and some without: the ones without are listed as null.
  if (withId > 0 && withId < count)
    for (let i = 0; i < count; i++)
      if (deliveries[i]!.messageId === undefined) otherIds.push([i, null]);
  return {
    targetCount: report.targetCount,
    identities,
    statuses,
    errors,
    messageIds: withId === 0 ? 0 : otherIds,
  };
}

/**
 * The report again, every target in `marked` DELIVERED (without error) and deliveredCount
 * recounted; identities in `marked` that are not targets change nothing.
 */
export function fromReportColumns(
  multicastId: string,
  columns: ReportColumns,
  marked?: ReadonlySet<string>,
): MulticastReport {
  const { identities, statuses: letters } = columns;
  const errors =
    columns.errors.length === 0
      ? undefined
      : new Map(columns.errors.map(([index, code, message]) => [index, { code, message }]));
  const otherIds = columns.messageIds === 0 ? undefined : new Map(columns.messageIds);
  const count = identities.length;
  const deliveries = new Array<IdentityDelivery>(count);
  let deliveredCount = 0;
  for (let i = 0; i < count; i++) {
    const identity = identities[i]!;
    let status = STATUSES[letters[i]!];
    if (status === undefined)
      throw new MusterError('INTERNAL', `stored report ${multicastId} has an unknown status`);
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
  return { multicastId, targetCount: columns.targetCount, deliveredCount, deliveries };
}
