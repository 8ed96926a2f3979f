import {
  fromReportColumns,
  type MulticastReport,
  MusterError,
  toReportColumns,
} from '@muster/core';

/**
 * A report record's value: core's report columns as one JSON array, no object per target:
 * [targetCount, identities, one status letter per target, errors as [index, code, message],
 * message ids (0 when no target has one, else the targets whose id is not the coordinator's
 * `<multicastId>-<index>`, as [index, id or null])]. The multicast id is the record key; the
 * expiry is the `x` header.
 */
type StoredColumns = [
  targetCount: number,
  identities: string[],
  statuses: string,
  errors: [number, string, string][],
  messageIds: 0 | [number, string | null][],
];

/** The report as one JSON text in columns. */
export function encodeReportValue(report: MulticastReport): string {
  const { targetCount, identities, statuses, errors, messageIds } = toReportColumns(report);
  return JSON.stringify([targetCount, identities, statuses, errors, messageIds]);
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
  let columns: StoredColumns;
  try {
    columns = JSON.parse(value) as StoredColumns;
  } catch (error) {
    throw new MusterError('INTERNAL', `stored report ${multicastId} is not valid JSON`, {
      cause: error,
    });
  }
  const [targetCount, identities, statuses, errors, messageIds] = columns;
  return fromReportColumns(
    multicastId,
    { targetCount, identities, statuses, errors, messageIds },
    marked,
  );
}
