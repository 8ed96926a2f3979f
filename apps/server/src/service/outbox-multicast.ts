import { type FilterInput, type MulticastReport, MusterError } from '@muster/core';
import type { FilterLimits } from '@muster/filter';
import type { PostgresOutbox } from '@muster/postgres';
import { parseFilter } from '../auth/parse-filter.js';

export interface OutboxMulticastCall {
  readonly filter?: FilterInput;
  readonly payload: Uint8Array;
  readonly contentType?: string;
  readonly idempotencyKey?: string;
  readonly filterLimits?: Partial<FilterLimits>;
}

/**
 * A multicast written to a namespace's transactional outbox: one transaction records it and
 * its targets (a repeated idempotency key writes nothing and answers the first multicast), and
 * the report is then read back from the outbox tables: every target QUEUED until a relay
 * (this instance's or another's) has published it.
 */
export async function outboxMulticast(
  outbox: Pick<PostgresOutbox, 'multicast' | 'getReport'>,
  namespace: string,
  call: OutboxMulticastCall,
): Promise<MulticastReport> {
  const written = await outbox.multicast({
    namespace,
    // Parsed here, within the namespace's filter limits (the outbox would apply the defaults).
    ...(call.filter === undefined ? {} : { filter: parseFilter(call.filter, call.filterLimits) }),
    payload: call.payload,
    ...(call.contentType === undefined ? {} : { contentType: call.contentType }),
    ...(call.idempotencyKey === undefined ? {} : { idempotencyKey: call.idempotencyKey }),
  });
  const report = await outbox.getReport(written.multicastId);
  if (report === undefined)
    // Only a prune between the write and this read (of an old multicast, by its repeated key).
    throw new MusterError(
      'UNAVAILABLE',
      `multicast "${written.multicastId}" was pruned from the outbox while its report was read: retry`,
    );
  return report;
}
