import type { MulticastReport } from '@muster/core';
import type { PostgresOutbox } from '@muster/postgres';

/**
 * A multicast's report from a namespace's outbox tables (so any instance answers it), with the
 * statuses as the relays have left them; undefined when unknown, pruned, or of another namespace.
 */
export async function outboxReport(
  outbox: Pick<PostgresOutbox, 'getReport'>,
  namespace: string,
  multicastId: string,
): Promise<MulticastReport | undefined> {
  if (multicastId === '') return undefined;
  const report = await outbox.getReport(multicastId);
  return report?.namespace === namespace ? report : undefined;
}
