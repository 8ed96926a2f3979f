import type { DeliveryStatus, MulticastReport } from '@muster/client';
import { type CliIo, writeJson } from './cli-context.js';
import { formatTable } from './format-table.js';

/** Up to this many targets, every one is listed; above it, only those not delivered or sent. */
const LIST_ALL_UP_TO = 20;
const SUCCESS: ReadonlySet<DeliveryStatus> = new Set<DeliveryStatus>(['DELIVERED', 'SENT']);

/** Prints a multicast's delivery summary: counts by status, then the targets worth a look. */
export function printReport(io: CliIo, report: MulticastReport, json: boolean): void {
  if (json) {
    writeJson(io, report, true);
    return;
  }
  const counts = new Map<DeliveryStatus, number>();
  for (const delivery of report.deliveries)
    counts.set(delivery.status, (counts.get(delivery.status) ?? 0) + 1);
  const byStatus = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  io.stdout.write(
    `multicast ${report.multicastId}: ${report.targetCount} ${report.targetCount === 1 ? 'target' : 'targets'}, ${report.deliveredCount} delivered${byStatus === '' ? '' : ` (${byStatus})`}\n`,
  );
  const listed =
    report.deliveries.length <= LIST_ALL_UP_TO
      ? report.deliveries
      : report.deliveries.filter((delivery) => !SUCCESS.has(delivery.status));
  if (listed.length === 0) return;
  io.stdout.write(
    formatTable(
      ['IDENTITY', 'STATUS', 'ERROR'],
      listed.map((delivery) => [
        delivery.identity,
        delivery.status,
        delivery.error === undefined ? '' : `${delivery.error.code}: ${delivery.error.message}`,
      ]),
    ),
  );
}
