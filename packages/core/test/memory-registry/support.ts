import type { FilterNode } from '@muster/filter';
import { MusterError, type MusterErrorCode } from '../../src/errors/muster-error.js';
import type { IdentityRecord, Metadata } from '../../src/slots/identity-record.js';
import type { EnumerateQuery, RegistrySlot } from '../../src/slots/registry-slot.js';

export const ALL: FilterNode = Object.freeze({ kind: 'all' });

export function record(
  identity: string,
  metadata: Metadata,
  now: number,
  ttlMs?: number,
): IdentityRecord {
  return {
    identity,
    metadata,
    registeredAt: now,
    updatedAt: now,
    expiresAt: ttlMs === undefined ? null : now + ttlMs,
  };
}

export function query(overrides: Partial<EnumerateQuery> = {}): EnumerateQuery {
  return {
    filter: ALL,
    limit: 100,
    sort: [],
    includeMetadata: true,
    totalCount: false,
    ...overrides,
  };
}

/** Every page of an enumerate walk, following nextCursor to the end. */
export async function walk(
  registry: RegistrySlot,
  namespace: string,
  base: EnumerateQuery,
  now: number,
): Promise<IdentityRecord[]> {
  const items: IdentityRecord[] = [];
  let cursor: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages > 100_000) throw new Error('walk does not end');
    const page = await registry.enumerate(
      namespace,
      cursor === undefined ? base : { ...base, cursor },
      now,
    );
    if (page.items.length > base.limit) throw new Error('page larger than its limit');
    items.push(...page.items);
    if (page.nextCursor === undefined) return items;
    if (page.items.length === 0) throw new Error('empty page with a next cursor');
    cursor = page.nextCursor;
  }
}

/** The MusterError a promise rejects with (fails the test when it resolves or throws another). */
export async function rejection(
  promise: Promise<unknown>,
  code: MusterErrorCode,
): Promise<MusterError> {
  try {
    await promise;
  } catch (error) {
    if (MusterError.is(error, code)) return error;
    throw new Error(`expected MusterError ${code}, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected MusterError ${code}, but the call succeeded`);
}
