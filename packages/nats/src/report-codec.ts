import {
  fromReportColumns,
  type MulticastReport,
  MusterError,
  toReportColumns,
} from '@muster/core';

/**
 * A stored report: core's report columns as one JSON value (no object per target), with the
 * multicast id and the caller's expiry.
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
  /** message ids (see ReportColumns.messageIds); absent when no target has one */
  readonly m?: readonly (readonly [number, string | null])[];
}

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/** The report and its expiry as UTF-8 JSON in columns. */
export function encodeReport(report: MulticastReport, expiresAt: number): Uint8Array {
  const columns = toReportColumns(report);
  const stored: StoredReport = {
    id: report.multicastId,
    n: columns.targetCount,
    x: expiresAt,
    i: columns.identities,
    s: columns.statuses,
    ...(columns.errors.length === 0 ? {} : { e: columns.errors }),
    ...(columns.messageIds === 0 ? {} : { m: columns.messageIds }),
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
  return fromReportColumns(
    stored.id,
    {
      targetCount: stored.n,
      identities: stored.i,
      statuses: stored.s,
      errors: stored.e ?? [],
      messageIds: stored.m ?? 0,
    },
    marked,
  );
}
