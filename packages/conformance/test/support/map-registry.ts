import {
  type EnumeratePage,
  type EnumerateQuery,
  type IdentityRecord,
  MusterError,
  type PutOptions,
  type PutResult,
  type RegistrySlot,
  type RegistrySupports,
  type SortKey,
} from '@muster/core';
import { compile } from '@muster/filter';

/** What this registry can do: exact filters (in memory), no metadata sort, no watch. */
const SUPPORTS: RegistrySupports = Object.freeze({
  filter: 'exact',
  ttl: 'sweep',
  clock: 'caller',
  sort: false,
  count: true,
  watch: false,
  quota: true,
  indexes: false,
});

/** A small registry over Maps: the README's example of a complete third-party adapter. */
export function createMapRegistry(): RegistrySlot {
  return new MapRegistry();
}

class MapRegistry implements RegistrySlot {
  readonly supports = SUPPORTS;
  readonly #namespaces = new Map<string, Map<string, IdentityRecord>>();
  #closed = false;

  async put(
    namespace: string,
    record: IdentityRecord,
    options: PutOptions,
    now: number,
  ): Promise<PutResult> {
    const records = this.#records(namespace);
    const current = live(records.get(record.identity), now);
    if (current !== undefined && options.mode === 'create')
      throw new MusterError('ALREADY_EXISTS', `${record.identity} is already registered`);
    if (
      current === undefined &&
      options.quota !== undefined &&
      countLive(records, now) >= options.quota
    )
      throw new MusterError(
        'QUOTA_EXCEEDED',
        `the namespace holds ${options.quota} identities already`,
      );
    // A replace keeps the registration time of the live record it replaces.
    const stored =
      current === undefined ? record : { ...record, registeredAt: current.registeredAt };
    records.set(record.identity, stored);
    return current === undefined ? { record: stored } : { record: stored, previous: current };
  }

  async get(namespace: string, identity: string, now: number): Promise<IdentityRecord | undefined> {
    return live(this.#records(namespace).get(identity), now);
  }

  async touch(namespace: string, identity: string, expiresAt: number | null, now: number) {
    const records = this.#records(namespace);
    const current = live(records.get(identity), now);
    if (current === undefined) return undefined;
    const touched = { ...current, expiresAt };
    records.set(identity, touched);
    return touched;
  }

  async touchMany(
    namespace: string,
    updates: readonly { readonly identity: string; readonly expiresAt: number | null }[],
    now: number,
  ): Promise<readonly string[]> {
    const missing: string[] = [];
    for (const { identity, expiresAt } of updates)
      if ((await this.touch(namespace, identity, expiresAt, now)) === undefined)
        missing.push(identity);
    return missing;
  }

  async delete(
    namespace: string,
    identity: string,
    now: number,
  ): Promise<IdentityRecord | undefined> {
    const records = this.#records(namespace);
    const current = live(records.get(identity), now);
    // An expired record stays until a sweep reports it (so `expired` is reported exactly once).
    if (current !== undefined) records.delete(identity);
    return current;
  }

  async enumerate(namespace: string, query: EnumerateQuery, now: number): Promise<EnumeratePage> {
    const keys: SortKey[] = [...query.sort, { by: { field: 'identity' }, direction: 'asc' }];
    if (keys.some((key) => !('field' in key.by)))
      throw new MusterError('UNSUPPORTED', 'this registry sorts by identity and registeredAt only');
    const matches = compile(query.filter);
    const all = [...this.#records(namespace).values()]
      .filter((record) => live(record, now) !== undefined && matches(record.metadata))
      .sort((a, b) => compareRecords(a, b, keys));
    let start = 0;
    if (query.cursor !== undefined) {
      const after = decodeCursor(query.cursor);
      const index = all.findIndex((record) => compareRecords(record, after, keys) > 0);
      start = index === -1 ? all.length : index;
    }
    const items = all.slice(start, start + query.limit);
    const last = items[items.length - 1];
    return {
      items: query.includeMetadata ? items : items.map((record) => ({ ...record, metadata: {} })),
      exact: true,
      ...(last !== undefined && start + items.length < all.length
        ? { nextCursor: encodeCursor(last) }
        : {}),
      ...(query.totalCount ? { totalCount: all.length } : {}),
    };
  }

  async count(namespace: string, now: number): Promise<number> {
    return countLive(this.#records(namespace), now);
  }

  async sweep(namespace: string, now: number, limit: number): Promise<readonly IdentityRecord[]> {
    const records = this.#records(namespace);
    const expired: IdentityRecord[] = [];
    // Synchronous from here on: concurrent sweeps cannot return the same record twice.
    for (const record of records.values()) {
      if (expired.length >= limit) break;
      if (record.expiresAt !== null && record.expiresAt <= now) expired.push(record);
    }
    for (const record of expired) records.delete(record.identity);
    return expired;
  }

  async namespaces(): Promise<readonly string[]> {
    this.#checkOpen();
    return [...this.#namespaces].filter(([, records]) => records.size > 0).map(([name]) => name);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #records(namespace: string): Map<string, IdentityRecord> {
    this.#checkOpen();
    let records = this.#namespaces.get(namespace);
    if (records === undefined) {
      records = new Map();
      this.#namespaces.set(namespace, records);
    }
    return records;
  }

  #checkOpen(): void {
    if (this.#closed) throw new MusterError('UNAVAILABLE', 'the registry is closed');
  }
}

/** The record if it is live at `now` (expired records are invisible to every read). */
function live(record: IdentityRecord | undefined, now: number): IdentityRecord | undefined {
  return record !== undefined && (record.expiresAt === null || record.expiresAt > now)
    ? record
    : undefined;
}

function countLive(records: Map<string, IdentityRecord>, now: number): number {
  let count = 0;
  for (const record of records.values()) if (live(record, now) !== undefined) count++;
  return count;
}

type SortPosition = Pick<IdentityRecord, 'identity' | 'registeredAt'>;

function compareRecords(a: SortPosition, b: SortPosition, keys: readonly SortKey[]): number {
  for (const key of keys) {
    const field = 'field' in key.by ? key.by.field : 'identity';
    const x = a[field];
    const y = b[field];
    const order = x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return key.direction === 'desc' ? -order : order;
  }
  return 0;
}

/** The cursor is the position of the last item returned (keyset pagination), opaque to callers. */
function encodeCursor(record: IdentityRecord): string {
  return Buffer.from(JSON.stringify([record.identity, record.registeredAt])).toString('base64url');
}

function decodeCursor(cursor: string): SortPosition {
  try {
    const [identity, registeredAt] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof identity === 'string' && typeof registeredAt === 'number')
      return { identity, registeredAt };
  } catch {
    // Reported below.
  }
  throw new MusterError('INVALID_ARGUMENT', 'malformed cursor', { details: { field: 'cursor' } });
}
